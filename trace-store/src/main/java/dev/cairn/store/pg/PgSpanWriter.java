package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.EncodedSpans;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreFailure;
import dev.cairn.store.StoreTables;
import dev.cairn.store.StoreUnavailableException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Writes spans to TimescaleDB with plain JDBC, in one transaction per batch, in the compact layout
 * (V6): per trace of the batch one segment row (its spans as compressed OTLP, {@link SegmentCodec},
 * and its search terms, {@link SearchTerms}) and an upsert of the trace's summary. Payloads are
 * compressed with a zstd dictionary trained on the deployment's first segments and stored in {@code
 * segment_dictionaries} (V9; {@link SegmentCompression}). The terms exclude the store's stop terms
 * once their list is in effect (V12; {@link SegmentStopTerms}), which the writer trains likewise.
 *
 * <p>Contract (the one {@link SpanWriter} states): durable on return, idempotent. A span already
 * stored (same trace id, span id and start) is dropped before encoding: for the traces of the batch
 * that already have a summary, the writer decodes their stored segments and keeps only the spans
 * not among them, so a replayed batch (whatever its boundaries) adds no segment and changes no
 * count. New traces, the usual case, cost one summary probe and no decoding. A segment's id is a
 * hash of its span keys, so that two writers racing on the same spans hit the unique key.
 *
 * <p>The summary lives in the class of the trace's first write, partitioned on the earliest span
 * start of that write ({@code partition_time}); a later batch merges into it when its spans start
 * within {@link #SUMMARY_WINDOW} of that time, otherwise it starts a summary of its own (searches
 * then list that stretch of the trace as one more result; trace by id still returns all spans).
 *
 * <p>Thread-safe: each call takes its own connection from the data source. Kafka puts a trace on
 * one partition, so one writer at a time writes a trace; two racing writers may add spans twice to
 * the summary counts (never to trace by id, which deduplicates).
 */
public final class PgSpanWriter implements SpanWriter {

  /**
   * Distinct operations (per day) remembered as already catalogued, ~16 heap bytes each (a
   * fingerprint). A cache smaller than a day's operations forgets that day whenever it fills and
   * then misses on its spans again: the bulk loader's 200 services have 12,440, the seed's hundreds
   * of services more.
   */
  public static final int DEFAULT_OPERATION_CACHE_SIZE = 65_536;

  /** How far from a summary's partition time a batch's spans may start and still merge into it. */
  public static final Duration SUMMARY_WINDOW = Duration.ofDays(1);

  private static final String UNIQUE_VIOLATION = "23505";

  /** Summaries of the batch's traces near their spans, in either class. */
  private static final String EXISTING_SUMMARIES =
      "SELECT t.retention, t.trace_id, t.partition_time, t.start_time, t.last_segment_start"
          + " FROM unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[]) AS b(id, lo, hi)"
          + " JOIN trace_summaries_all t ON t.trace_id = b.id"
          + " AND t.partition_time >= b.lo - interval '1 day'"
          + " AND t.partition_time <= b.hi + interval '1 day'"
          + " WHERE t.partition_time >= ?::timestamptz AND t.partition_time <= ?::timestamptz";

  private static final String STORED_SEGMENTS =
      "SELECT trace_id, payload FROM trace_segments"
          + " WHERE trace_id = ANY (?::uuid[]) AND start_time >= ? AND start_time <= ?";

  private static final String CATALOG_OPERATIONS =
      "INSERT INTO operations (service_name, span_name, kind, seen_day)"
          + " SELECT s, n, k, timestamptz 'epoch' + d * interval '1 day'"
          + " FROM unnest(?::text[], ?::text[], ?::smallint[], ?::bigint[]) AS o(s, n, k, d)"
          + " ON CONFLICT DO NOTHING";

  private static final String CATALOG_TERM_DAYS =
      "INSERT INTO search_term_days (term, seen_day)"
          + " SELECT t, timestamptz 'epoch' + d * interval '1 day'"
          + " FROM unnest(?::integer[], ?::bigint[]) AS c(t, d)"
          + " ON CONFLICT DO NOTHING";

  /**
   * What a transaction wrote that caches learn once it commits, and the fresh segments' terms
   * (every one) while the writer trains its stop terms, else empty.
   */
  private record Written(
      SegmentCompression.Compressed payloads, long[] termDays, List<int[]> trainingTerms) {}

  /** Where a trace's summary is: its class and partition time. */
  private record SummaryRef(RetentionClass retention, Instant partitionTime) {}

  private final DataSource dataSource;
  private final OperationCache knownOperations;
  private final TermDayCache knownTermDays = new TermDayCache(TermDayCache.DEFAULT_SIZE);
  private final SegmentDictionaries dictionaries = new SegmentDictionaries();
  private final SegmentCompression compression;
  private final SegmentStopTerms stopTerms;

  public PgSpanWriter(DataSource dataSource) {
    this(dataSource, StopTermSettings.DEFAULT);
  }

  /** With how it trains the store's stop terms when none are stored ({@link StopTermSettings}). */
  public PgSpanWriter(DataSource dataSource, StopTermSettings stopTermSettings) {
    this(
        dataSource,
        DEFAULT_OPERATION_CACHE_SIZE,
        new DictionaryTraining(),
        new SegmentStopTerms(stopTermSettings));
  }

  public PgSpanWriter(DataSource dataSource, int operationCacheSize) {
    this(
        dataSource,
        operationCacheSize,
        new DictionaryTraining(),
        new SegmentStopTerms(StopTermSettings.DEFAULT));
  }

  /** With the training of its dictionary and stop terms given (tests train on a few segments). */
  PgSpanWriter(
      DataSource dataSource,
      int operationCacheSize,
      DictionaryTraining training,
      SegmentStopTerms stopTerms) {
    this.dataSource = dataSource;
    this.knownOperations = new OperationCache(operationCacheSize);
    this.compression = new SegmentCompression(dictionaries, training);
    this.stopTerms = stopTerms;
  }

  @Override
  public void write(RetentionClass retention, List<Span> spans) {
    write(retention, spans, new BitSet());
  }

  /**
   * @throws StoreUnavailableException when the transaction failed for a reason that may pass
   *     ({@link StoreFailure#TRANSIENT}: connection lost, shutdown, deadlock, resources); retry it
   * @throws InvalidSpanBatchException when the database refused the data itself ({@link
   *     StoreFailure#PERMANENT}); retrying the same batch fails the same way
   */
  @Override
  public void write(RetentionClass retention, List<Span> spans, BitSet late) {
    write(retention, spans, () -> Segment.group(spans, late));
  }

  /** As {@link #write(RetentionClass, List, BitSet)}; a segment is stored as its records' bytes. */
  @Override
  public void writeEncoded(RetentionClass retention, List<EncodedSpans> records) {
    write(retention, EncodedSpans.spansOf(records), () -> Segment.group(records));
  }

  private void write(RetentionClass retention, List<Span> spans, Supplier<List<Segment>> grouping) {
    if (spans.isEmpty()) {
      return;
    }
    List<Segment> segments = grouping.get();
    TreeSet<OperationCache.Key> newOperations = knownOperations.unknownOf(spans);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Written written = writeInTransaction(connection, retention, segments, newOperations);
        connection.commit();
        if (written != null) {
          compression.committed(written.payloads());
          knownTermDays.addAll(written.termDays());
          if (!written.trainingTerms().isEmpty()) {
            stopTerms.committed(connection, written.trainingTerms());
          }
        }
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
    knownOperations.addAll(newOperations);
  }

  /** Returns what was written, null when every span was stored already. */
  private Written writeInTransaction(
      Connection connection,
      RetentionClass retention,
      List<Segment> segments,
      TreeSet<OperationCache.Key> newOperations)
      throws SQLException {
    Map<TraceId, SummaryRef> existing = existingSummaries(connection, segments);
    List<Segment> fresh =
        existing.isEmpty() ? segments : withoutStored(connection, segments, existing);
    Written written = null;
    if (!fresh.isEmpty()) {
      List<byte[]> raw = new ArrayList<>(fresh.size());
      List<int[]> terms = new ArrayList<>(fresh.size());
      boolean training = stopTerms.training();
      List<int[]> trainingTerms = training ? new ArrayList<>(fresh.size()) : List.of();
      List<Instant> starts = new ArrayList<>(fresh.size());
      StopTerms stop = stopTerms.current(connection);
      for (Segment segment : fresh) {
        raw.add(SegmentCodec.raw(segment));
        int[] all = SearchTerms.of(segment.spans());
        terms.add(stop.without(all));
        if (training) {
          trainingTerms.add(all);
        }
        starts.add(segment.startTime());
      }
      SegmentCompression.Compressed payloads = compression.compress(connection, raw);
      Set<TraceId> inserted =
          writeSegmentsAndSummaries(
              connection, retention, fresh, terms, payloads.payloads(), existing);
      // before the segments' commit, so that a search never misses a day a stored segment is on
      long[] termDays = knownTermDays.unknownOf(starts, terms);
      if (termDays.length > 0) {
        catalogTermDays(connection, termDays);
      }
      written = new Written(payloads, termDays, trainingTerms);
    }
    if (!newOperations.isEmpty()) {
      catalog(connection, newOperations);
    }
    return written;
  }

  private static Map<TraceId, SummaryRef> existingSummaries(
      Connection connection, List<Segment> segments) throws SQLException {
    int n = segments.size();
    Object[] ids = new Object[n];
    Object[] lows = new Object[n];
    Object[] highs = new Object[n];
    Instant low = Instant.MAX;
    Instant high = Instant.MIN;
    for (int i = 0; i < n; i++) {
      Segment segment = segments.get(i);
      ids[i] = SpanCopyEncoder.uuidOf(segment.traceId());
      Instant first = segment.startTime();
      Instant last = segment.lastStartTime();
      lows[i] = first.toString();
      highs[i] = last.toString();
      low = first.isBefore(low) ? first : low;
      high = last.isAfter(high) ? last : high;
    }
    Map<TraceId, SummaryRef> found = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(EXISTING_SUMMARIES)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids));
      statement.setArray(2, connection.createArrayOf("text", lows));
      statement.setArray(3, connection.createArrayOf("text", highs));
      statement.setString(4, low.minus(SUMMARY_WINDOW).toString());
      statement.setString(5, high.plus(SUMMARY_WINDOW).toString());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.putIfAbsent(
              SpanCopyEncoder.traceIdOf((UUID) rows.getObject(2)),
              new SummaryRef(
                  RetentionClass.fromHeader(rows.getString(1)), rows.getTimestamp(3).toInstant()));
        }
      }
    }
    return found;
  }

  /** The segments without the spans their traces' stored segments hold already. */
  private List<Segment> withoutStored(
      Connection connection, List<Segment> segments, Map<TraceId, SummaryRef> existing)
      throws SQLException {
    Object[] ids = existing.keySet().stream().map(SpanCopyEncoder::uuidOf).toArray();
    Instant low = Instant.MAX;
    Instant high = Instant.MIN;
    for (SummaryRef ref : existing.values()) {
      Instant from = ref.partitionTime().minus(SUMMARY_WINDOW);
      Instant to = ref.partitionTime().plus(SUMMARY_WINDOW);
      low = from.isBefore(low) ? from : low;
      high = to.isAfter(high) ? to : high;
    }
    Map<TraceId, List<byte[]>> payloads = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(STORED_SEGMENTS)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids));
      statement.setTimestamp(2, Timestamp.from(low));
      statement.setTimestamp(3, Timestamp.from(high));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          payloads
              .computeIfAbsent(
                  SpanCopyEncoder.traceIdOf((UUID) rows.getObject(1)), t -> new ArrayList<>())
              .add(rows.getBytes(2));
        }
      }
    }
    dictionaries.load(
        connection,
        dictionaries.missing(payloads.values().stream().flatMap(List::stream)::iterator));
    Map<TraceId, Set<Segment.SpanKey>> stored = new HashMap<>();
    payloads.forEach(
        (trace, list) -> {
          Set<Segment.SpanKey> keys = stored.computeIfAbsent(trace, t -> new HashSet<>());
          for (byte[] payload : list) {
            SegmentCodec.decode(payload, dictionaries::known)
                .forEach(s -> keys.add(Segment.SpanKey.of(s)));
          }
        });
    List<Segment> fresh = new ArrayList<>(segments.size());
    for (Segment segment : segments) {
      Set<Segment.SpanKey> keys = stored.get(segment.traceId());
      Segment left = keys == null ? segment : segment.without(keys);
      if (left != null) {
        fresh.add(left);
      }
    }
    return fresh;
  }

  /**
   * Writes the segments and their traces' summaries; returns the traces whose segment is new (not a
   * racing duplicate). The spans stored already were dropped before, so only a racing writer makes
   * a segment or a new trace's summary a duplicate: the segments and the summaries of traces new to
   * the store go in as binary COPYs, and only when one of their rows is stored already (a COPY
   * fails whole) as inserts that skip such segments and merge such summaries. Summaries of traces
   * with a summary stored are merged into it.
   */
  private static Set<TraceId> writeSegmentsAndSummaries(
      Connection connection,
      RetentionClass retention,
      List<Segment> segments,
      List<int[]> segmentTerms,
      byte[][] payloads,
      Map<TraceId, SummaryRef> existing)
      throws SQLException {
    String table = StoreTables.segments(retention).name();
    String newSummaryTable = StoreTables.summaries(retention).name();
    List<SummaryRow> newSummaries = new ArrayList<>();
    Map<RetentionClass, List<SummaryRow>> merged = new HashMap<>();
    for (Segment segment : segments) {
      SummaryRef ref = existing.get(segment.traceId());
      if (ref == null) {
        newSummaries.add(SummaryRow.of(segment, segment.startTime()));
      } else {
        merged
            .computeIfAbsent(ref.retention(), r -> new ArrayList<>())
            .add(SummaryRow.of(segment, ref.partitionTime()));
      }
    }
    Set<TraceId> inserted = new HashSet<>();
    Savepoint beforeCopy = connection.setSavepoint();
    try {
      SegmentCopy.copy(connection, table, segments, segmentTerms, payloads);
      if (!newSummaries.isEmpty()) {
        SummaryRow.copy(connection, newSummaryTable, newSummaries);
      }
      segments.forEach(segment -> inserted.add(segment.traceId()));
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      connection.rollback(beforeCopy);
      inserted.addAll(insertSegments(connection, table, segments, segmentTerms, payloads));
      // a racing writer stored these very spans: it counts them
      newSummaries.removeIf(row -> !inserted.contains(SpanCopyEncoder.traceIdOf(row.traceId())));
      if (!newSummaries.isEmpty()) {
        SummaryRow.upsert(connection, newSummaryTable, newSummaries);
      }
    }
    for (Map.Entry<RetentionClass, List<SummaryRow>> entry : merged.entrySet()) {
      List<SummaryRow> rows = entry.getValue();
      rows.removeIf(row -> !inserted.contains(SpanCopyEncoder.traceIdOf(row.traceId())));
      if (!rows.isEmpty()) {
        SummaryRow.upsert(connection, StoreTables.summaries(entry.getKey()).name(), rows);
      }
    }
    return inserted;
  }

  /** Inserts the segments but those stored already; returns the traces whose segment is new. */
  private static Set<TraceId> insertSegments(
      Connection connection,
      String table,
      List<Segment> segments,
      List<int[]> segmentTerms,
      byte[][] payloads)
      throws SQLException {
    int n = segments.size();
    Object[] ids = new Object[n];
    Object[] starts = new Object[n];
    Object[] segmentIds = new Object[n];
    Object[] counts = new Object[n];
    Object[] minDurations = new Object[n];
    Object[] maxDurations = new Object[n];
    Object[] terms = new Object[n];
    for (int i = 0; i < n; i++) {
      Segment segment = segments.get(i);
      ids[i] = SpanCopyEncoder.uuidOf(segment.traceId());
      starts[i] = segment.startTime().toString();
      segmentIds[i] = segment.segmentId();
      counts[i] = segment.spans().size();
      minDurations[i] = segment.minDurationNanos();
      maxDurations[i] = segment.maxDurationNanos();
      terms[i] = termsLiteral(segmentTerms.get(i));
    }
    String sql =
        "INSERT INTO "
            + table
            + SegmentCopy.COLUMNS
            + " SELECT id, start::timestamptz, sid, n, mind, maxd, t::integer[], p"
            + " FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::integer[], ?::bigint[],"
            + " ?::bigint[], ?::text[], ?::bytea[]) AS s(id, start, sid, n, mind, maxd, t, p)"
            + " ON CONFLICT DO NOTHING RETURNING trace_id";
    Set<TraceId> inserted = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids));
      statement.setArray(2, connection.createArrayOf("text", starts));
      statement.setArray(3, connection.createArrayOf("int8", segmentIds));
      statement.setArray(4, connection.createArrayOf("int4", counts));
      statement.setArray(5, connection.createArrayOf("int8", minDurations));
      statement.setArray(6, connection.createArrayOf("int8", maxDurations));
      statement.setArray(7, connection.createArrayOf("text", terms));
      Array bytes = connection.createArrayOf("bytea", payloads);
      statement.setArray(8, bytes);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          inserted.add(SpanCopyEncoder.traceIdOf((UUID) rows.getObject(1)));
        }
      }
    }
    return inserted;
  }

  private static String termsLiteral(int[] terms) {
    StringBuilder literal = new StringBuilder(terms.length * 11 + 2).append('{');
    for (int i = 0; i < terms.length; i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal.append(terms[i]);
    }
    return literal.append('}').toString();
  }

  private static void catalog(Connection connection, TreeSet<OperationCache.Key> operations)
      throws SQLException {
    List<String> services = new ArrayList<>(operations.size());
    List<String> names = new ArrayList<>(operations.size());
    List<Short> kinds = new ArrayList<>(operations.size());
    List<Long> days = new ArrayList<>(operations.size());
    for (OperationCache.Key key : operations) {
      services.add(key.service());
      names.add(key.name());
      kinds.add((short) key.kind());
      days.add(key.epochDay());
    }
    try (PreparedStatement statement = connection.prepareStatement(CATALOG_OPERATIONS)) {
      statement.setArray(1, connection.createArrayOf("text", services.toArray()));
      statement.setArray(2, connection.createArrayOf("text", names.toArray()));
      statement.setArray(3, connection.createArrayOf("int2", kinds.toArray()));
      statement.setArray(4, connection.createArrayOf("int8", days.toArray()));
      statement.executeUpdate();
    }
  }

  private static void catalogTermDays(Connection connection, long[] keys) throws SQLException {
    Object[] terms = new Object[keys.length];
    Object[] days = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      terms[i] = TermDayCache.term(keys[i]);
      days[i] = TermDayCache.epochDay(keys[i]);
    }
    try (PreparedStatement statement = connection.prepareStatement(CATALOG_TERM_DAYS)) {
      statement.setArray(1, connection.createArrayOf("int4", terms));
      statement.setArray(2, connection.createArrayOf("int8", days));
      statement.executeUpdate();
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  /** Permanent failures (the batch's data, {@link StoreFailure}) cannot pass on retry. */
  static RuntimeException translate(SQLException e) {
    String state = e.getSQLState();
    if (StoreFailure.of(e) == StoreFailure.PERMANENT) {
      return new InvalidSpanBatchException(
          state, "the store refused the batch (SQLState " + state + "): " + e.getMessage(), e);
    }
    return new StoreUnavailableException(
        "the store could not take the batch (SQLState " + state + "): " + e.getMessage(), e);
  }
}
