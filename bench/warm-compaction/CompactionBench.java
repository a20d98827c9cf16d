import com.github.luben.zstd.Zstd;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import dev.cairn.store.pg.SegmentCompaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Bytes per span before and after warm compaction, run by bench/warm-compaction.sh on the
 * classpath of this checkout's trace-store. Single-file program:
 *
 * <pre>
 * URL USER PASSWORD TRACES PARTS   the newest TRACES traces of URL's standard segments, each written
 *                                  through PgSpanWriter in PARTS batches (its spans dealt round-robin,
 *                                  as when a trace's spans reach storage in PARTS records) into a
 *                                  fresh schema; then every chunk compacted (SegmentCompaction);
 *                                  prints one line of figures; the schema is dropped
 * </pre>
 */
public final class CompactionBench {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    int traces = Integer.parseInt(args[3]);
    int parts = Integer.parseInt(args[4]);
    Map<TraceId, List<Span>> input = newestTraces(url, user, password, traces);
    String schema = "warm_bench_" + UUID.randomUUID().toString().replace("-", "");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setUser(user);
    dataSource.setPassword(password);
    dataSource.setCurrentSchema(schema);
    SchemaMigrations.apply(dataSource, schema);
    try {
      PgSpanWriter writer = new PgSpanWriter(dataSource);
      for (int part = 0; part < parts; part++) {
        List<Span> batch = new ArrayList<>();
        for (List<Span> spans : input.values()) {
          for (int i = part; i < spans.size(); i += parts) {
            batch.add(spans.get(i));
          }
        }
        if (!batch.isEmpty()) {
          writer.write(RetentionClass.STANDARD, batch);
        }
      }
      try (Connection connection = dataSource.getConnection()) {
        String before = figures(connection);
        long began = System.nanoTime();
        SegmentCompaction compaction = SegmentCompaction.of(RetentionClass.STANDARD);
        connection.setAutoCommit(false);
        for (Instant[] chunk : chunks(connection)) {
          while (compaction.step(connection, chunk[0], chunk[1], 500).traces() == 500) {}
        }
        connection.commit();
        connection.setAutoCommit(true);
        double seconds = (System.nanoTime() - began) / 1e9;
        String inPlace = figures(connection, false);
        String after = figures(connection);
        System.out.printf(
            "parts=%d traces=%d spans=%d before{%s} after_vacuum{%s} after_vacuum_full{%s}"
                + " compaction_s=%.2f%n",
            parts,
            input.size(),
            input.values().stream().mapToInt(List::size).sum(),
            before,
            inPlace,
            after,
            seconds);
      }
    } finally {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /** Segments, payload bytes per span, and the table's bytes per span once rewritten (VACUUM FULL). */
  private static String figures(Connection connection) throws Exception {
    return figures(connection, true);
  }

  /**
   * @param full VACUUM FULL (rewrites each chunk: the space of deleted rows returns) or a plain
   *     VACUUM (what autovacuum does: the space becomes reusable by later inserts into the chunk)
   */
  private static String figures(Connection connection, boolean full) throws Exception {
    try (Statement statement = connection.createStatement()) {
      String vacuum = full ? "VACUUM FULL " : "VACUUM ";
      for (String chunk : list(statement, "SELECT format('%I.%I', chunk_schema, chunk_name)"
          + " FROM timescaledb_information.chunks WHERE hypertable_schema = current_schema()"
          + " AND hypertable_name = 'trace_segments_standard'")) {
        statement.execute(vacuum + chunk);
      }
      try (ResultSet row =
          statement.executeQuery(
              "SELECT count(*), sum(span_count), sum(octet_length(payload)),"
                  + " (SELECT public.hypertable_size('trace_segments_standard'::regclass))"
                  + " FROM trace_segments_standard")) {
        row.next();
        long spans = row.getLong(2);
        return String.format(
            "segments=%d payload_bytes_per_span=%.1f table_bytes_per_span=%.1f",
            row.getLong(1), row.getDouble(3) / spans, row.getDouble(4) / spans);
      }
    }
  }

  private static List<String> list(Statement statement, String sql) throws Exception {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static List<Instant[]> chunks(Connection connection) throws Exception {
    List<Instant[]> chunks = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT range_start, range_end FROM timescaledb_information.chunks"
                    + " WHERE hypertable_schema = current_schema()"
                    + " AND hypertable_name = 'trace_segments_standard' ORDER BY range_start")) {
      while (rows.next()) {
        chunks.add(
            new Instant[] {rows.getTimestamp(1).toInstant(), rows.getTimestamp(2).toInstant()});
      }
    }
    return chunks;
  }

  /** The newest traces' spans, decoded from the source database's segments. */
  private static Map<TraceId, List<Span>> newestTraces(
      String url, String user, String password, int traces) throws Exception {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setUser(user);
    source.setPassword(password);
    Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT s.payload FROM trace_segments_standard s JOIN (SELECT trace_id"
                    + " FROM trace_summaries_standard ORDER BY partition_time DESC LIMIT "
                    + traces
                    + ") t USING (trace_id)")) {
      while (rows.next()) {
        byte[] payload = rows.getBytes(1);
        byte[] otlp = Zstd.decompress(payload, (int) Zstd.getFrameContentSize(payload));
        for (Span span : OtlpSpanMapper.toSpans(TraceWireCodec.decode(otlp))) {
          byTrace.computeIfAbsent(span.traceId(), t -> new ArrayList<>()).add(span);
        }
      }
    }
    return byTrace;
  }
}
