package dev.cairn.store.pg;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The store's stop-term list as {@code search_stop_terms} (V12) holds it: read and stored over JDBC
 * by writers and warm compaction, and read through a Vert.x pool by a reader, which keeps what it
 * read for at most {@link #READER_REFRESH}. Thread-safe.
 */
final class StoredStopTerms {

  /**
   * How long a reader searches on the list it read last. Far below {@link
   * StopTermSettings#DEFAULT}'s grace, so that a reader that read no list yet has reloaded it
   * before a writer leaves the terms out.
   */
  static final Duration READER_REFRESH = Duration.ofMinutes(1);

  /**
   * The stored list and how long until writers may leave its terms out, by the database's clock.
   */
  record Stored(StopTerms terms, Duration untilEffective) {}

  private static final String LOAD =
      "SELECT terms, greatest(extract(epoch FROM effective_at - clock_timestamp()), 0)"
          + " FROM search_stop_terms";
  private static final String STORE =
      "INSERT INTO search_stop_terms (list_id, terms, segments_counted, effective_at)"
          + " VALUES (1, ?, ?, clock_timestamp() + make_interval(secs => ?))"
          + " ON CONFLICT DO NOTHING";
  private static final String EFFECTIVE =
      "SELECT terms FROM search_stop_terms WHERE effective_at <= clock_timestamp()";
  private static final String ALL = "SELECT terms FROM search_stop_terms";

  private final Reread<StopTerms> forSearch;

  StoredStopTerms() {
    this(System::nanoTime);
  }

  StoredStopTerms(LongSupplier nanoTime) {
    this.forSearch = new Reread<>(READER_REFRESH, nanoTime, StoredStopTerms::all);
  }

  /** The stored list, if any. */
  static Optional<Stored> load(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOAD);
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Stored(
              terms(rows.getArray(1)),
              Duration.ofNanos((long) (rows.getDouble(2) * 1_000_000_000L))));
    }
  }

  /**
   * Stores {@code terms}, effective after {@code grace}, unless a list is stored already; in the
   * caller's transaction.
   *
   * @return the list stored now: this one, or the one another writer stored first
   */
  static Stored store(Connection connection, StopTerms terms, int segmentsCounted, Duration grace)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(STORE)) {
      statement.setArray(1, connection.createArrayOf("int4", terms.toArray()));
      statement.setInt(2, segmentsCounted);
      statement.setDouble(3, grace.toNanos() / 1e9);
      statement.executeUpdate();
    }
    return load(connection).orElseThrow();
  }

  /** The terms that may be left out of segments written now (none before the list is effective). */
  static StopTerms effective(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(EFFECTIVE);
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? terms(rows.getArray(1)) : StopTerms.NONE;
    }
  }

  /**
   * The terms a search may leave out of those it requires: every listed term, effective yet or not
   * (leaving one out is always exact, it only loses the index), read again once {@link
   * #READER_REFRESH} old.
   */
  Uni<StopTerms> forSearch(Pool pool) {
    return forSearch.get(pool);
  }

  private static Uni<StopTerms> all(Pool pool) {
    return pool.query(ALL)
        .execute()
        .map(
            rows -> {
              Iterator<Row> row = rows.iterator();
              return row.hasNext()
                  ? StopTerms.of(row.next().getArrayOfIntegers(0))
                  : StopTerms.NONE;
            });
  }

  private static StopTerms terms(Array array) throws SQLException {
    return StopTerms.of((Integer[]) array.getArray());
  }
}
