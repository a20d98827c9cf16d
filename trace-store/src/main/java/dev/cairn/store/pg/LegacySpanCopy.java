package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one-off copy of the V1–V5 layout (a row per span in {@code spans_standard} / {@code
 * spans_extended}) into the compact layout, in steps of at most a bounded number of spans taken in
 * start-time order, so that a database migrated to V6 with data in the old tables keeps answering
 * for it. Each step writes through the {@link SpanWriter}, whose idempotence makes a step that is
 * repeated (after a crash, or rows at the step's boundary read twice) add nothing. The old rows
 * stay until retention drops their chunks.
 */
public final class LegacySpanCopy {

  /** What one step copied and where the next one starts. */
  public record Step(int spans, Instant next) {}

  private static final String COLUMNS =
      "SELECT s.trace_id, s.span_id, s.parent_span_id, s.start_time, s.start_unix_nano,"
          + " s.end_unix_nano, s.name, s.kind, s.status_code, s.status_message, s.trace_state,"
          + " s.flags, s.attributes::text, s.dropped_attributes_count, s.events::text,"
          + " s.dropped_events_count, s.links::text, s.dropped_links_count,"
          // a row written before V2 holds its resource inline
          + " coalesce(r.resource, s.resource)::text, s.scope::text"
          + " FROM %s s LEFT JOIN resources r ON r.resource_id = s.resource_id";

  private final String table;
  private final RetentionClass retention;

  private LegacySpanCopy(String table, RetentionClass retention) {
    this.table = table;
    this.retention = retention;
  }

  /** The copy of one class's old table (the name is a constant, never input). */
  public static LegacySpanCopy of(RetentionClass retention) {
    return new LegacySpanCopy(
        retention == RetentionClass.EXTENDED ? "spans_extended" : "spans_standard", retention);
  }

  public String table() {
    return table;
  }

  /**
   * Copies at most {@code maxSpans} (more only when that many start at one instant) of the spans
   * that start at or after {@code from}.
   *
   * @param connection reads the old rows (any transaction; the writer commits on its own)
   * @return the spans copied (0: nothing left) and where the next step starts; the rows of its
   *     boundary instant are read again by the next step and absorbed by the writer
   */
  public Step step(Connection connection, SpanWriter writer, Instant from, int maxSpans)
      throws SQLException {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be at least 1: " + maxSpans);
    }
    List<Span> spans = new ArrayList<>();
    Instant last =
        read(
            connection,
            spans,
            " WHERE s.start_time >= ? ORDER BY s.start_time LIMIT ?",
            from,
            maxSpans);
    if (spans.isEmpty()) {
      return new Step(0, from);
    }
    Instant next = last;
    if (spans.size() == maxSpans && !last.isAfter(from)) {
      // the whole step starts at one instant: take all of that instant and move past it
      spans.clear();
      read(connection, spans, " WHERE s.start_time = ?", from, 0);
      next = from.plus(1, ChronoUnit.MICROS);
    } else if (spans.size() < maxSpans) {
      next = last.plus(1, ChronoUnit.MICROS); // everything up to the end is copied
    }
    writer.write(retention, spans);
    return new Step(spans.size(), next);
  }

  private Instant read(
      Connection connection, List<Span> into, String where, Instant from, int limit)
      throws SQLException {
    Instant last = from;
    try (PreparedStatement statement =
        connection.prepareStatement(String.format(COLUMNS, table) + where)) {
      statement.setObject(1, from.atOffset(ZoneOffset.UTC));
      if (limit > 0) {
        statement.setInt(2, limit);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          into.add(span(rows));
          Instant start = rows.getObject(4, OffsetDateTime.class).toInstant();
          last = start.isAfter(last) ? start : last;
        }
      }
    }
    return last;
  }

  private static Span span(ResultSet row) throws SQLException {
    long parent = row.getLong(3);
    boolean rootSpan = row.wasNull();
    return new Span(
        SpanCopyEncoder.traceIdOf((UUID) row.getObject(1)),
        new SpanId(row.getLong(2)),
        rootSpan ? Optional.empty() : Optional.of(new SpanId(parent)),
        row.getString(11),
        row.getInt(12),
        row.getString(7),
        SpanKind.forNumber(row.getShort(8)),
        row.getLong(5),
        row.getLong(6),
        AttributeJson.readAttributes(row.getString(13)),
        row.getInt(14),
        AttributeJson.readEvents(row.getString(15)),
        row.getInt(16),
        AttributeJson.readLinks(row.getString(17)),
        row.getInt(18),
        new SpanStatus(StatusCode.forNumber(row.getShort(9)), row.getString(10)),
        AttributeJson.readResource(row.getString(19)),
        AttributeJson.readScope(row.getString(20)));
  }
}
