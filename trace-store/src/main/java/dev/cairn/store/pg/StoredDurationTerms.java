package dev.cairn.store.pg;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * From when every segment holds duration terms ({@link DurationThresholds}; V13's {@code
 * search_catalogs} row {@code duration_terms}), as a reader reads it: again once {@link
 * StoredStopTerms#READER_REFRESH} old, so that a reader started before the migration learns it. A
 * store without the row has none: {@link #NEVER}. Thread-safe.
 */
final class StoredDurationTerms {

  /** No segment is known to hold duration terms. */
  static final OffsetDateTime NEVER = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

  /** '-infinity' (a store migrated with no segment) as the first year a parameter carries. */
  private static final String SINCE =
      "SELECT greatest(since, timestamptz '0001-01-01 00:00:00+00') FROM search_catalogs"
          + " WHERE catalog = 'duration_terms'";

  private final Reread<OffsetDateTime> forSearch;

  StoredDurationTerms() {
    this(System::nanoTime);
  }

  StoredDurationTerms(LongSupplier nanoTime) {
    this.forSearch =
        new Reread<>(StoredStopTerms.READER_REFRESH, nanoTime, StoredDurationTerms::since);
  }

  /** The earliest segment start from which every segment holds duration terms. */
  Uni<OffsetDateTime> forSearch(Pool pool) {
    return forSearch.get(pool);
  }

  private static Uni<OffsetDateTime> since(Pool pool) {
    return pool.query(SINCE)
        .execute()
        .map(
            rows -> {
              Iterator<Row> row = rows.iterator();
              return row.hasNext() ? row.next().getOffsetDateTime(0) : NEVER;
            });
  }
}
