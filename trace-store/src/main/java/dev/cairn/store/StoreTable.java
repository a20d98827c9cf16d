package dev.cairn.store;

/**
 * A hypertable that grows with the data: retention drops its chunks older than its tier's period.
 *
 * @param name the table's name (unqualified: the store's schema is on the search path)
 * @param tier how long its rows are kept
 * @param timeColumn its partitioning column, a {@code timestamptz}
 */
public record StoreTable(String name, RetentionTier tier, String timeColumn) {}
