package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TraceSpans;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans written in the V1–V5 layout (a row per span, resources stored once or inline) read back
 * unchanged through the compact layout's reader once {@link LegacySpanCopy} has copied them, also
 * when the copy's steps split traces and instants, and a repeated copy adds nothing.
 */
class LegacySpanCopyIT {

  private static final long BASE =
      Instant.parse("2026-11-30T10:00:00Z").getEpochSecond() * 1_000_000_000L;

  private TestDatabase database;
  private PgSpanWriter writer;
  private PgTraceReader reader;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void copiedSpansReadBackUnchangedAndACopyAgainAddsNothing() throws SQLException {
    List<List<Span>> traces = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      traces.add(SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), BASE + i * 1_000L));
    }
    // six spans at one instant: more than a step takes
    TraceId crowded = SpanFixtures.randomTraceId();
    List<Span> sameInstant = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sameInstant.add(
          SpanFixtures.span(crowded, SpanFixtures.CHECKOUT, "op " + i)
              .start(BASE + 5_000_000L)
              .end(BASE + 6_000_000L)
              .build());
    }
    traces.add(sameInstant);
    List<Span> extended = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), BASE);
    try (Connection connection = database.dataSource().getConnection()) {
      boolean inline = false;
      for (List<Span> trace : traces) {
        for (Span span : trace) {
          LegacyRows.insert(connection, "spans_standard", span, inline = !inline);
        }
      }
      for (Span span : extended) {
        LegacyRows.insert(connection, "spans_extended", span, false);
      }

      int copied = copyAll(connection, RetentionClass.STANDARD, 4);
      assertThat(copied).isGreaterThanOrEqualTo(21); // boundary rows are read twice
      copyAll(connection, RetentionClass.EXTENDED, 4);
      copyAll(connection, RetentionClass.STANDARD, 100); // again, in other steps
    }

    traces.add(extended);
    for (List<Span> trace : traces) {
      TraceSpans read = reader.findTrace(trace.get(0).traceId(), 1_000).await().indefinitely();
      assertThat(read.spans()).containsExactlyElementsOf(ordered(trace));
      assertThat(read.storedSpanCount()).isEqualTo(trace.size());
    }
  }

  private int copyAll(Connection connection, RetentionClass retention, int step)
      throws SQLException {
    LegacySpanCopy copy = LegacySpanCopy.of(retention);
    Instant from = Instant.EPOCH;
    int total = 0;
    for (int guard = 0; guard < 100; guard++) {
      LegacySpanCopy.Step done = copy.step(connection, writer, from, step);
      assertThat(done.next()).isAfterOrEqualTo(from);
      total += done.spans();
      from = done.next();
      if (done.spans() == 0) {
        return total;
      }
    }
    throw new AssertionError("the copy did not finish");
  }

  private static List<Span> ordered(List<Span> spans) {
    return spans.stream()
        .sorted(
            // the reader's order: start, then span id as the signed bigint it is stored as
            Comparator.comparingLong(Span::startTimeUnixNano)
                .thenComparingLong(s -> s.spanId().value()))
        .toList();
  }
}
