package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TraceSpans;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
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
          insertLegacy(connection, "spans_standard", span, inline = !inline);
        }
      }
      for (Span span : extended) {
        insertLegacy(connection, "spans_extended", span, false);
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
            Comparator.comparingLong(Span::startTimeUnixNano)
                .thenComparing(s -> s.spanId().value(), Long::compareUnsigned))
        .toList();
  }

  /** A row as the V1–V5 writer stored it: the resource inline (before V2) or in resources. */
  private static void insertLegacy(Connection connection, String table, Span span, boolean inline)
      throws SQLException {
    UUID resourceId = null;
    if (!inline) {
      resourceId = UUID.randomUUID();
      try (PreparedStatement resource =
          connection.prepareStatement(
              "INSERT INTO resources VALUES (?, ?::jsonb, '{}'::jsonb, now())")) {
        resource.setObject(1, resourceId);
        resource.setString(2, AttributeJson.resource(span.resource()));
        resource.executeUpdate();
      }
    }
    try (PreparedStatement row =
        connection.prepareStatement(
            "INSERT INTO "
                + table
                + " (trace_id, span_id, parent_span_id, start_time, start_unix_nano,"
                + " end_unix_nano, duration_nano, service_name, name, kind, status_code,"
                + " status_message, trace_state, flags, attributes, dropped_attributes_count,"
                + " events, dropped_events_count, links, dropped_links_count, resource, scope,"
                + " tags, resource_id) VALUES (?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, '{}', ?)")) {
      int i = 1;
      row.setObject(i++, SpanCopyEncoder.uuidOf(span.traceId()));
      row.setLong(i++, span.spanId().value());
      if (span.parentSpanId().isPresent()) {
        row.setLong(i++, span.parentSpanId().get().value());
      } else {
        row.setNull(i++, java.sql.Types.BIGINT);
      }
      row.setString(i++, SpanCopyEncoder.partitionTime(span.startTimeUnixNano()).toString());
      row.setLong(i++, span.startTimeUnixNano());
      row.setLong(i++, span.endTimeUnixNano());
      row.setLong(i++, span.durationNanos());
      row.setString(i++, span.serviceName());
      row.setString(i++, span.name());
      row.setShort(i++, (short) span.kind().number());
      row.setShort(i++, (short) span.status().code().number());
      row.setString(i++, span.status().message());
      row.setString(i++, span.traceState());
      row.setInt(i++, span.flags());
      row.setString(i++, AttributeJson.attributes(span.attributes()));
      row.setInt(i++, span.droppedAttributesCount());
      row.setString(i++, AttributeJson.events(span.events()));
      row.setInt(i++, span.droppedEventsCount());
      row.setString(i++, AttributeJson.links(span.links()));
      row.setInt(i++, span.droppedLinksCount());
      row.setString(i++, inline ? AttributeJson.resource(span.resource()) : null);
      row.setString(i++, AttributeJson.scope(span.scope()));
      row.setObject(i, resourceId);
      row.executeUpdate();
    }
  }
}
