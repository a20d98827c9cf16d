package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with the tags its searches ask for most as stop terms, in effect before the
 * writer's first batch: segments hold none of them, searches that require only stop terms are
 * answered without the term index, and those that combine one with other criteria by the others.
 */
class PgTraceStoreWithStopTermsIT extends TraceStoreContract {

  /** The contract's fixed tags ({@code host.name} is on every span's resource). */
  private static final StopTerms STOP =
      StopTerms.of(
          SearchTerms.hash('t', "host.name", "h1"),
          SearchTerms.hash('t', "http.status_code", "500"),
          SearchTerms.hash('t', "card", "visa"),
          SearchTerms.hash('t', "db", "orders"));

  private static TestDatabase database;
  private static PgSpanWriter writer;
  private static PgTraceReader reader;

  @BeforeAll
  static void migrate() throws SQLException {
    database = TestDatabase.createSchema();
    try (Connection connection = database.dataSource().getConnection()) {
      StoredStopTerms.store(connection, STOP, 0, Duration.ZERO);
    }
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @Test
  void noSegmentTheContractWroteHoldsAStopTerm() throws SQLException {
    writer.write(RetentionClass.STANDARD, SegmentCodecTest.traces(3, 2).get(1));
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE terms && ARRAY"
                    + Arrays.toString(STOP.toArray())
                    + ") FROM trace_segments")) {
      rows.next();
      assertThat(rows.getInt(1)).isPositive();
      assertThat(rows.getInt(2)).isZero();
    }
  }

  @AfterAll
  static void dropSchema() {
    database.close();
  }

  @Override
  protected SpanWriter writer() {
    return writer;
  }

  @Override
  protected TraceReader reader() {
    return reader;
  }
}
