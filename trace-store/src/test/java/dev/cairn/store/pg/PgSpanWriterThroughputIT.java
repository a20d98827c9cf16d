package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.StoreTestSpans;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Measures the COPY write path on this machine and checks that every span of a large run lands
 * once. Prints spans/s; asserts only correctness (throughput varies with the machine's load).
 */
class PgSpanWriterThroughputIT {

  private static final int BATCHES = 10;
  private static final int BATCH_SIZE = 5_000;
  private static final int SPANS_PER_TRACE = 10;

  @Test
  void writesLargeBatchesOnce() throws Exception {
    try (TestDatabase database = TestDatabase.createSchema()) {
      PgSpanWriter writer = new PgSpanWriter(database.dataSource());
      long base = Instant.parse("2023-05-01T12:00:00Z").getEpochSecond() * 1_000_000_000L;
      List<List<Span>> batches = new ArrayList<>();
      for (int b = 0; b < BATCHES; b++) {
        batches.add(batch(base + b * 1_000_000_000L));
      }
      writer.write(RetentionClass.STANDARD, batch(base - 1_000_000_000L)); // warm-up

      long began = System.nanoTime();
      for (List<Span> batch : batches) {
        writer.write(RetentionClass.STANDARD, batch);
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      System.out.printf(
          "PgSpanWriter COPY path: %d spans in %d batches of %d: %.2f s, %.0f spans/s%n",
          BATCHES * BATCH_SIZE, BATCHES, BATCH_SIZE, seconds, BATCHES * BATCH_SIZE / seconds);

      writer.write(RetentionClass.STANDARD, batches.get(0)); // a replay adds nothing
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT (SELECT sum(span_count) FROM trace_segments_standard),"
                      + " (SELECT sum(span_count) FROM trace_summaries_standard)")) {
        row.next();
        assertThat(row.getLong(1)).isEqualTo((long) (BATCHES + 1) * BATCH_SIZE);
        assertThat(row.getLong(2)).isEqualTo((long) (BATCHES + 1) * BATCH_SIZE);
      }
    }
  }

  /** Traces of ten spans in five services with ten attributes each: a realistic row width. */
  private static List<Span> batch(long start) {
    List<Span> spans = new ArrayList<>(BATCH_SIZE);
    for (int t = 0; t < BATCH_SIZE / SPANS_PER_TRACE; t++) {
      TraceId id = randomTraceId();
      SpanId root = randomSpanId();
      for (int s = 0; s < SPANS_PER_TRACE; s++) {
        SpanId spanId = s == 0 ? root : randomSpanId();
        Span span =
            span(
                id,
                spanId,
                s == 0 ? Optional.empty() : Optional.of(root),
                "service-" + (s % 5),
                "operation-" + s,
                start + t * 1000L + s * 10L,
                1_000_000L - s);
        spans.add(
            StoreTestSpans.withAttributes(
                span,
                List.of(
                    Attribute.of("http.method", "GET"),
                    Attribute.of("http.route", "/api/v1/orders/{id}"),
                    Attribute.of("http.status_code", 200),
                    Attribute.of("net.peer.name", "orders.internal"),
                    Attribute.of("net.peer.port", 8080),
                    Attribute.of("db.system", "postgresql"),
                    Attribute.of("db.statement", "SELECT * FROM orders WHERE id = $1"),
                    Attribute.of("thread.name", "worker-" + s),
                    Attribute.of("thread.id", s),
                    Attribute.of("user.tier", "gold"))));
      }
    }
    return spans;
  }
}
