package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.StoreTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Warm compaction of one class's segments (issue 7, "warm"): inside one time range (a chunk), the
 * segments of a trace, one per batch that wrote it, are re-packed into one segment holding each
 * span once, so that trace by id decodes one payload instead of many and the chunk holds one zstd
 * frame, one OTLP resource block and one terms array per trace instead of one per batch. The new
 * terms leave out the stop terms in effect (V12), as a writer's would.
 *
 * <p>Per trace, the new segment is inserted and exactly the rows it was built from are deleted, in
 * the caller's transaction: the rows are read {@code FOR UPDATE} and deleted by their full key, so
 * a segment a late write adds meanwhile (a new key) is never deleted unread. Retention itself stays
 * a chunk drop; this DELETE only removes rows whose spans the new segment holds. Idempotent: a
 * trace with one segment in the range is not a candidate, and a repeated run finds none.
 */
public final class SegmentCompaction {

  /** What one step did. */
  public record Step(int traces, int segmentsRead, int segmentsWritten, int spansDeduplicated) {}

  private final String table;

  /** The dictionaries the re-packed payloads name (V9); the newest one compresses the new ones. */
  private final SegmentDictionaries dictionaries = new SegmentDictionaries();

  private SegmentCompaction(String table) {
    this.table = table;
  }

  /** The compaction of one class's segments (the table name is a constant, never input). */
  public static SegmentCompaction of(RetentionClass retention) {
    return new SegmentCompaction(StoreTables.segments(retention).name());
  }

  public String table() {
    return table;
  }

  /**
   * Re-packs the segments of at most {@code maxTraces} traces that have more than one segment
   * starting in {@code [from, to)}.
   *
   * @return fewer than {@code maxTraces} traces when the range has no more candidates
   */
  public Step step(Connection connection, Instant from, Instant to, int maxTraces)
      throws SQLException {
    return compact(connection, from, to, candidates(connection, from, to, maxTraces));
  }

  /**
   * Re-packs the segments in {@code [from, to)} of the given traces ({@link #candidates}); one with
   * fewer than two segments there by now is left alone.
   */
  public Step compact(Connection connection, Instant from, Instant to, List<UUID> candidates)
      throws SQLException {
    if (candidates.isEmpty()) {
      return new Step(0, 0, 0, 0);
    }
    Map<UUID, List<StoredSegment>> stored = lockedSegments(connection, candidates, from, to);
    dictionaries.load(
        connection,
        dictionaries.missing(
            stored.values().stream().flatMap(List::stream).map(StoredSegment::payload)::iterator));
    SegmentDictionary dictionary = dictionaries.newest(connection).orElse(null);
    StopTerms stop = StoredStopTerms.effective(connection);
    int read = 0;
    int written = 0;
    int deduplicated = 0;
    try (PreparedStatement insert = connection.prepareStatement(insertSql());
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + table
                    + " WHERE trace_id = ? AND start_time = ? AND segment_id = ?")) {
      for (Map.Entry<UUID, List<StoredSegment>> trace : stored.entrySet()) {
        List<StoredSegment> segments = trace.getValue();
        if (segments.size() < 2) {
          continue; // another compaction got there first
        }
        Packed packed =
            pack(SpanCopyEncoder.traceIdOf(trace.getKey()), segments, dictionaries::known);
        read += segments.size();
        written++;
        deduplicated += packed.duplicates();
        bindInsert(insert, trace.getKey(), packed.segment(), dictionary, stop);
        insert.addBatch();
        for (StoredSegment old : segments) {
          if (old.start().equals(packed.segment().startTime())
              && old.segmentId() == packed.segment().segmentId()) {
            continue; // the same spans were stored once already: that row is the new one
          }
          delete.setObject(1, trace.getKey());
          delete.setTimestamp(2, Timestamp.from(old.start()));
          delete.setLong(3, old.segmentId());
          delete.addBatch();
        }
      }
      insert.executeBatch();
      delete.executeBatch();
    }
    return new Step(candidates.size(), read, written, deduplicated);
  }

  private record StoredSegment(Instant start, long segmentId, byte[] payload) {}

  private record Packed(Segment segment, int duplicates) {}

  /** The segments' spans, each once (the first of equal keys, oldest segment first). */
  static Packed pack(
      TraceId traceId, List<StoredSegment> segments, IntFunction<SegmentDictionary> dictionaries) {
    List<Span> spans = new ArrayList<>();
    Set<Segment.SpanKey> seen = new HashSet<>();
    int duplicates = 0;
    for (StoredSegment segment : segments) {
      for (Span span : SegmentCodec.decode(segment.payload(), dictionaries)) {
        if (!span.traceId().equals(traceId)) {
          throw new IllegalStateException("segment of trace " + traceId + " holds another trace");
        }
        if (seen.add(Segment.SpanKey.of(span))) {
          spans.add(span);
        } else {
          duplicates++;
        }
      }
    }
    return new Packed(new Segment(traceId, spans, new BitSet()), duplicates);
  }

  /**
   * At most {@code maxTraces} traces with more than one segment starting in {@code [from, to)}, in
   * trace id order: one aggregate over the range, so a caller takes a chunk's candidates once and
   * compacts them in steps ({@link #compact}).
   */
  public List<UUID> candidates(Connection connection, Instant from, Instant to, int maxTraces)
      throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT trace_id FROM "
                + table
                + " WHERE start_time >= ? AND start_time < ?"
                + " GROUP BY trace_id HAVING count(*) > 1 ORDER BY trace_id LIMIT ?")) {
      statement.setTimestamp(1, Timestamp.from(from));
      statement.setTimestamp(2, Timestamp.from(to));
      statement.setInt(3, maxTraces);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add((UUID) rows.getObject(1));
        }
      }
    }
    return ids;
  }

  /** The candidates' segments in the range, locked, oldest first per trace. */
  private Map<UUID, List<StoredSegment>> lockedSegments(
      Connection connection, List<UUID> traces, Instant from, Instant to) throws SQLException {
    Map<UUID, List<StoredSegment>> byTrace = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT trace_id, start_time, segment_id, payload FROM "
                + table
                + " WHERE trace_id = ANY (?::uuid[]) AND start_time >= ? AND start_time < ?"
                + " ORDER BY trace_id, start_time, segment_id FOR UPDATE")) {
      statement.setArray(1, connection.createArrayOf("uuid", traces.toArray()));
      statement.setTimestamp(2, Timestamp.from(from));
      statement.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          byTrace
              .computeIfAbsent((UUID) rows.getObject(1), t -> new ArrayList<>())
              .add(
                  new StoredSegment(
                      rows.getTimestamp(2).toInstant(), rows.getLong(3), rows.getBytes(4)));
        }
      }
    }
    return byTrace;
  }

  private String insertSql() {
    return "INSERT INTO "
        + table
        + " (trace_id, start_time, segment_id, span_count, min_duration_nano, max_duration_nano,"
        + " terms, payload) VALUES (?, ?, ?, ?, ?, ?, ?::integer[], ?) ON CONFLICT DO NOTHING";
  }

  private static void bindInsert(
      PreparedStatement insert,
      UUID traceId,
      Segment segment,
      SegmentDictionary dictionary,
      StopTerms stop)
      throws SQLException {
    insert.setObject(1, traceId);
    insert.setTimestamp(2, Timestamp.from(segment.startTime()));
    insert.setLong(3, segment.segmentId());
    insert.setInt(4, segment.spans().size());
    insert.setLong(5, segment.minDurationNanos());
    insert.setLong(6, segment.maxDurationNanos());
    insert.setArray(
        7,
        insert
            .getConnection()
            .createArrayOf(
                "int4",
                Arrays.stream(stop.without(SearchTerms.of(segment.spans())))
                    .boxed()
                    .toArray(Integer[]::new)));
    insert.setBytes(8, SegmentCodec.encode(segment.spans(), dictionary));
  }
}
