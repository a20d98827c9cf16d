import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One layout's write cost, run by bench/storage-layout.sh with the classpath of the trace-store
 * build under test (main's V1–V5 row per span, or the compact layout). Single-file program
 * ({@code java -cp … WriterBench.java}), so that the same source runs against both builds; it uses
 * only API both have.
 *
 * <pre>
 * export URL USER PASSWORD ROWS FILE   the newest ROWS spans of a V1–V5 database into FILE (compact
 *                                      build only: it reads them with LegacySpanCopy)
 * run URL USER PASSWORD FILE BATCH [keep]  writes FILE's spans through PgSpanWriter into a fresh schema
 *                                      (after a warm-up pass into another), then COPYs the rows that
 *                                      produced into a third: prints one line of figures
 * </pre>
 *
 * CPU: the PostgreSQL backend's (utime + stime of its process in /proc: the bench runs on the
 * database's machine) and the writing thread's (ThreadMXBean; the JVM's GC and JIT threads are not
 * counted). Writes go over one connection, so one backend does all of the database's work for
 * them except the WAL writer and checkpointer.
 */
public final class WriterBench {

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "export" -> export(args[1], args[2], args[3], Integer.parseInt(args[4]), Path.of(args[5]));
      case "run" ->
          run(
              args[1],
              args[2],
              args[3],
              Path.of(args[4]),
              Integer.parseInt(args[5]),
              args.length > 6 && args[6].equals("keep"));
      default -> throw new IllegalArgumentException("export | run");
    }
  }

  /** The newest spans of the V1–V5 database, whole traces, as length-delimited TracesData. */
  static void export(String url, String user, String password, int rows, Path file)
      throws Exception {
    Class<?> copyClass = Class.forName("dev.cairn.store.pg.LegacySpanCopy");
    Object copy = copyClass.getMethod("of", RetentionClass.class).invoke(null, RetentionClass.STANDARD);
    var step =
        copyClass.getMethod(
            "step", Connection.class, SpanWriter.class, Instant.class, int.class);
    Map<Object, List<Span>> byTrace = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      Instant from;
      try (Statement s = connection.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT max(start_time) - interval '2 hours' FROM spans_standard")) {
        r.next();
        from = r.getTimestamp(1).toInstant();
      }
      int total = 0;
      while (total < rows) {
        List<Span> got = new ArrayList<>();
        SpanWriter collect = (retention, spans) -> got.addAll(spans);
        Object done = step.invoke(copy, connection, collect, from, Math.min(10_000, rows - total));
        if (got.isEmpty()) {
          break;
        }
        for (Span span : got) {
          byTrace.computeIfAbsent(span.traceId(), t -> new ArrayList<>()).add(span);
        }
        total += got.size();
        from = (Instant) done.getClass().getMethod("next").invoke(done);
      }
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      int spans = 0;
      for (List<Span> trace : byTrace.values()) {
        OtlpSpanMapper.toTracesData(trace).writeDelimitedTo(out);
        spans += trace.size();
      }
      System.err.printf("exported %d spans of %d traces%n", spans, byTrace.size());
    }
  }

  /**
   * @param keep leave the writer's schema in place (its name on stderr), for a closer look
   */
  static void run(String url, String user, String password, Path file, int batch, boolean keep)
      throws Exception {
    List<Span> spans = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      TracesData data;
      while ((data = TracesData.parseDelimitedFrom(in)) != null) {
        spans.addAll(OtlpSpanMapper.toSpans(data));
      }
    }
    List<List<Span>> batches = new ArrayList<>();
    for (int i = 0; i < spans.size(); i += batch) {
      batches.add(spans.subList(i, Math.min(spans.size(), i + batch)));
    }
    String warm = schema("warm");
    String written = schema("writer");
    String copied = schema("copy");
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      int backend = backendPid(connection);
      try {
        for (String schema : List.of(warm, written, copied)) {
          SchemaMigrations.apply(url, user, password, schema);
        }
        write(connection, warm, batches); // JIT and caches
        long pg0 = backendCpuNanos(backend);
        long jvm0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        write(connection, written, batches);
        long writerWall = System.nanoTime() - t0;
        long writerJvm = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - jvm0;
        long writerPg = backendCpuNanos(backend) - pg0;

        Map<String, Long> sizes = sizes(connection, written);
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        Map<String, byte[]> rows = copyOut(connection, written, sizes.keySet());
        pg0 = backendCpuNanos(backend);
        t0 = System.nanoTime();
        copyIn(connection, copied, rows);
        long copyWall = System.nanoTime() - t0;
        long copyPg = backendCpuNanos(backend) - pg0;

        int n = spans.size();
        System.out.printf(
            "spans=%d writer_spans_per_s=%.0f copy_spans_per_s=%.0f writer_over_copy=%.2f"
                + " pg_us_per_span=%.1f jvm_us_per_span=%.1f copy_pg_us_per_span=%.1f"
                + " bytes_per_span=%.0f tables=%s%n",
            n,
            n / (writerWall / 1e9),
            n / (copyWall / 1e9),
            (double) copyWall / writerWall,
            writerPg / 1e3 / n,
            writerJvm / 1e3 / n,
            copyPg / 1e3 / n,
            (double) bytes / n,
            sizes.toString().replace(" ", ""));
      } finally {
        try (Statement s = connection.createStatement()) {
          for (String schema : keep ? List.of(warm, copied) : List.of(warm, written, copied)) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          }
          if (keep) {
            System.err.println("kept schema " + written);
          }
        }
      }
    }
  }

  private static void write(Connection connection, String schema, List<List<Span>> batches)
      throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET search_path TO " + schema + ", public");
    }
    PgSpanWriter writer = new PgSpanWriter(oneConnection(connection));
    for (List<Span> spans : batches) {
      writer.write(RetentionClass.STANDARD, spans);
    }
    connection.setAutoCommit(true);
  }

  /** Every non-empty table the writer filled, with its size (table, TOAST and indexes). */
  private static Map<String, Long> sizes(Connection connection, String schema)
      throws SQLException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    List<String> tables = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = '"
                    + schema
                    + "' AND tablename <> 'cairn_schema_history' ORDER BY tablename")) {
      while (r.next()) {
        tables.add(r.getString(1));
      }
    }
    try (Statement s = connection.createStatement()) {
      s.execute("SET search_path TO " + schema + ", public");
      for (String table : tables) {
        try (ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
          r.next();
          if (!r.getBoolean(1)) {
            continue;
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT coalesce((SELECT hypertable_size(format('%I.%I', '"
                    + schema
                    + "', '"
                    + table
                    + "')::regclass) FROM timescaledb_information.hypertables WHERE"
                    + " hypertable_schema = '"
                    + schema
                    + "' AND hypertable_name = '"
                    + table
                    + "'), pg_total_relation_size(format('%I.%I', '"
                    + schema
                    + "', '"
                    + table
                    + "')::regclass))")) {
          r.next();
          sizes.put(table, r.getLong(1));
        }
      }
    }
    return sizes;
  }

  /** The rows of each table, binary, in the columns COPY can write (no generated ones). */
  private static Map<String, byte[]> copyOut(
      Connection connection, String schema, Iterable<String> tables) throws Exception {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    Map<String, byte[]> rows = new LinkedHashMap<>();
    for (String table : tables) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // a hypertable's rows are in its chunks: COPY of the parent table alone would find none
      copy.copyOut(
          "COPY (SELECT " + columns(connection, schema, table) + " FROM " + schema + "." + table
              + ") TO STDOUT (FORMAT binary)",
          out);
      rows.put(table, out.toByteArray());
    }
    return rows;
  }

  private static void copyIn(Connection connection, String schema, Map<String, byte[]> rows)
      throws Exception {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    connection.setAutoCommit(false);
    for (Map.Entry<String, byte[]> table : rows.entrySet()) {
      copy.copyIn(
          "COPY " + schema + "." + table.getKey() + " (" + columns(connection, schema, table.getKey())
              + ") FROM STDIN (FORMAT binary)",
          new ByteArrayInputStream(table.getValue()));
    }
    connection.commit();
    connection.setAutoCommit(true);
  }

  private static String columns(Connection connection, String schema, String table)
      throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                    + " WHERE attrelid = '"
                    + schema
                    + "."
                    + table
                    + "'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")) {
      r.next();
      return r.getString(1);
    }
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** utime + stime of a process, from /proc (clock ticks of 10 ms). */
  private static long backendCpuNanos(int pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static String schema(String role) {
    return "layout_bench_" + role + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A data source that hands out one connection whose close() keeps it open. */
  private static DataSource oneConnection(Connection connection) {
    Connection kept =
        (Connection)
            Proxy.newProxyInstance(
                WriterBench.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, methodArgs) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(connection, methodArgs);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        Proxy.newProxyInstance(
            WriterBench.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, methodArgs) -> {
              if (method.getName().equals("getConnection")) {
                return kept;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
