package dev.cairn.store.pg;

import dev.cairn.model.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** Rows of the V1–V5 layout (a row per span), written as that layout's writer wrote them. */
public final class LegacyRows {

  private LegacyRows() {}

  /** A row as the V1–V5 writer stored it: the resource inline (before V2) or in resources. */
  public static void insert(Connection connection, String table, Span span, boolean inline)
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
