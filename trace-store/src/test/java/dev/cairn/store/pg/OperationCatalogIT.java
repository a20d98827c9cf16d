package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The operation catalog (migration V8) holds an operation once per UTC day of its spans, so that
 * retention can drop the days no span refers to any more; readers still list each operation once.
 */
class OperationCatalogIT {

  @Test
  void anOperationIsCataloguedOncePerDayAndListedOnce() throws SQLException {
    try (TestDatabase database = TestDatabase.createSchema()) {
      PgSpanWriter writer = new PgSpanWriter(database.dataSource());
      PgTraceReader reader = new PgTraceReader(database.pool());
      // an hour into each day, so that both spans of a day are in that day
      Instant today =
          Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plusSeconds(3600);
      for (int day = 0; day < 3; day++) {
        Instant at = today.minus(Duration.ofDays(day));
        // twice the same day: the second is a cache hit, no new row
        writer.write(RetentionClass.STANDARD, List.of(spanAt(at), spanAt(at.plusMillis(1))));
      }

      assertThat(count(database, "SELECT count(*) FROM operations")).isEqualTo(3);
      assertThat(count(database, "SELECT count(DISTINCT seen_day) FROM operations")).isEqualTo(3);
      assertThat(reader.services().await().atMost(Duration.ofSeconds(30)))
          .containsExactly("checkout");
      assertThat(reader.operations("checkout").await().atMost(Duration.ofSeconds(30)))
          .containsExactly(new Operation("POST /pay", SpanKind.SERVER));
    }
  }

  private static Span spanAt(Instant at) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    return span(
        randomTraceId(), randomSpanId(), Optional.empty(), "checkout", "POST /pay", nanos, 1000);
  }

  private static long count(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
