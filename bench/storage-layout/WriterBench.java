import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One layout's write cost, run by bench/storage-layout.sh with the classpath of the trace-store
 * build under test (main's V1–V5 row per span, or the compact layout); its input is what
 * ExportSpans.java wrote. Single-file program
 * ({@code java -cp … WriterBench.java}), so that the same source runs against both builds; it uses
 * only API both have.
 *
 * <pre>
 * run URL USER PASSWORD FILE BATCH [keep]  writes FILE's spans through PgSpanWriter into a fresh schema
 *                                      (after a warm-up pass into another), then COPYs the rows that
 *                                      produced into a third: prints one line of figures
 * </pre>
 *
 * Options (system properties): {@code -Dlanes=N} writer threads (1), {@code -Dstore=trained|fresh}
 * what the store has learnt before the measured pass ({@link Store}; trained), {@code
 * -Dwarmups=N} and {@code -Dmaxwarmups=M} warm-up passes, each into a schema of its own (1 and
 * 6: passes go on while the JIT is busy), {@code -Dencoded=false} spans
 * rather than records ({@link Input}).
 *
 * CPU: the PostgreSQL backend's (utime + stime of its process in /proc: the bench runs on the
 * database's machine) and the writing thread's (ThreadMXBean; the JVM's GC and JIT threads are not
 * counted). Writes go over one connection, so one backend does all of the database's work for
 * them except the WAL writer and checkpointer.
 */
public final class WriterBench {

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "run" ->
          run(
              args[1],
              args[2],
              args[3],
              Path.of(args[4]),
              Integer.parseInt(args[5]),
              args.length > 6 && args[6].equals("keep"));
      default -> throw new IllegalArgumentException("run");
    }
  }

  /**
   * @param keep leave the writer's schema in place (its name on stderr), for a closer look
   */
  static void run(String url, String user, String password, Path file, int batch, boolean keep)
      throws Exception {
    List<Record> records = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      TracesData data;
      while ((data = TracesData.parseDelimitedFrom(in)) != null) {
        // one record per trace and service, as the collectors publish a service's export
        for (var resourceSpans : data.getResourceSpansList()) {
          byte[] value = TracesData.newBuilder().addResourceSpans(resourceSpans).build().toByteArray();
          records.add(new Record(OtlpSpanMapper.toSpans(TracesData.parseFrom(value)), value));
        }
      }
    }
    int spanCount = records.stream().mapToInt(r -> r.spans().size()).sum();
    Input input = Input.of(Boolean.parseBoolean(System.getProperty("encoded", "true")));
    // a segment per trace and batch at least: the training must end within the warm-up pass
    int traces = (int) records.stream().map(r -> r.spans().get(0).traceId()).distinct().count();
    Store store = Store.of(System.getProperty("store", "trained"), traces);
    int minWarmUps = Integer.getInteger("warmups", 1);
    int maxWarmUps = Math.max(minWarmUps, Integer.getInteger("maxwarmups", 6));
    List<List<Object>> lanes = lanes(records, Integer.getInteger("lanes", 1), batch, input);
    List<String> warm = new ArrayList<>();
    String written = schema("writer");
    String copied = schema("copy");
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      int backend = backendPid(connection);
      try {
        for (String schema : List.of(written, copied)) {
          SchemaMigrations.apply(url, user, password, schema);
        }
        // JIT and caches. Methods called once a batch (pgjdbc's SQL parser, its COPY results)
        // reach C2 only after thousands of batches, and each then takes C2 a few hundred ms of a
        // core: in a pass of a few seconds on two cores that is a tenth of the CPU, which a
        // storage-svc running for minutes has long paid. So passes go on while the JIT compiled
        // for more than 2 % of a pass's wall time, at least -Dwarmups and at most -Dmaxwarmups.
        double compiling = 1;
        while (warm.size() < minWarmUps || (compiling > 0.02 && warm.size() < maxWarmUps)) {
          String schema = schema("warm");
          warm.add(schema);
          SchemaMigrations.apply(url, user, password, schema);
          boolean first = warm.size() == 1;
          if (!first) { // the measured pass's code: the first pass's training adopted
            store.adopt(connection, warm.get(0), schema);
          }
          long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
          Cost pass =
              write(
                  url, user, password, schema, lanes, input,
                  first ? store.warmUp() : store.measured());
          long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
          compiling = jitMillis * 1e6 / pass.wallNanos();
        }
        store.adopt(connection, warm.get(0), written);
        Cost writer = write(url, user, password, written, lanes, input, store.measured());
        long writerWall = writer.wallNanos();
        long writerJvm = writer.jvmNanos();
        long writerPg = writer.pgNanos();
        long writerProcess = writer.processNanos();
        long writerPostgres = writer.postgresNanos();

        Map<String, Long> sizes = sizes(connection, written);
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        Map<String, byte[]> rows = copyOut(connection, written, sizes.keySet());
        // the migrations seed catalog rows (search_catalogs since V11) that the copy brings again
        try (Statement s = connection.createStatement()) {
          for (String table : rows.keySet()) {
            s.execute("DELETE FROM " + copied + "." + table);
          }
        }
        long pg0 = backendCpuNanos(backend);
        long t0 = System.nanoTime();
        copyIn(connection, copied, rows);
        long copyWall = System.nanoTime() - t0;
        long copyPg = backendCpuNanos(backend) - pg0;

        int n = spanCount;
        System.out.printf(
            "spans=%d input=%s store=%s warmups=%d writer_spans_per_s=%.0f copy_spans_per_s=%.0f writer_over_copy=%.2f"
                + " pg_us_per_span=%.1f jvm_us_per_span=%.1f copy_pg_us_per_span=%.1f"
                + " jvm_all_us_per_span=%.1f pg_all_us_per_span=%.1f cores_busy=%.2f"
                + " bytes_per_span=%.0f tables=%s%n",
            n,
            input.name(),
            store.name(),
            warm.size(),
            n / (writerWall / 1e9),
            n / (copyWall / 1e9),
            (double) copyWall / writerWall,
            writerPg / 1e3 / n,
            writerJvm / 1e3 / n,
            copyPg / 1e3 / n,
            writerProcess / 1e3 / n,
            writerPostgres / 1e3 / n,
            (double) (writerProcess + writerPostgres) / writerWall,
            (double) bytes / n,
            sizes.toString().replace(" ", ""));
      } finally {
        try (Statement s = connection.createStatement()) {
          for (String schema : keep ? all(warm, copied) : all(warm, written, copied)) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          }
          if (keep) {
            System.err.println("kept schema " + written);
          }
        }
      }
    }
  }

  /**
   * Wall time, the writing threads' CPU and their PostgreSQL backends' CPU, summed; and the whole
   * JVM's CPU (GC and JIT too) and every postgres process's (WAL writer, checkpointer too).
   */
  record Cost(long wallNanos, long jvmNanos, long pgNanos, long processNanos, long postgresNanos) {}

  /** A record of the sampled topic: its spans and the value they were decoded from. */
  record Record(List<Span> spans, byte[] value) {}

  /**
   * How batches reach the writer: as records with their values ({@code SpanWriter.writeEncoded},
   * as storage-svc writes them, when the build has it and -Dencoded is not false) or as spans.
   * Reflection, because this source also runs on builds without that API.
   */
  record Input(String name, Method writeEncoded, Constructor<?> encodedSpans) {
    static Input of(boolean encoded) throws Exception {
      if (encoded) {
        try {
          Class<?> type = Class.forName("dev.cairn.store.EncodedSpans");
          return new Input(
              "records",
              PgSpanWriter.class.getMethod("writeEncoded", RetentionClass.class, List.class),
              type.getConstructor(List.class, byte[].class, boolean.class));
        } catch (ClassNotFoundException | NoSuchMethodException older) {
          // a build before EncodedSpans
        }
      }
      return new Input("spans", null, null);
    }

    /** A batch as {@link #write} takes it, made before the timed pass. */
    Object prepare(List<Record> batch) throws Exception {
      if (writeEncoded == null) {
        List<Span> spans = new ArrayList<>();
        batch.forEach(r -> spans.addAll(r.spans()));
        return spans;
      }
      List<Object> encoded = new ArrayList<>(batch.size());
      for (Record r : batch) {
        encoded.add(encodedSpans.newInstance(r.spans(), r.value(), false));
      }
      return encoded;
    }

    @SuppressWarnings("unchecked")
    void write(PgSpanWriter writer, Object batch) throws Exception {
      if (writeEncoded == null) {
        writer.write(RetentionClass.STANDARD, (List<Span>) batch);
      } else {
        writeEncoded.invoke(writer, RetentionClass.STANDARD, batch);
      }
    }
  }

  /**
   * What the store the measured pass writes into has learnt before ({@code -Dstore}): {@code
   * trained} (the default) is a store past its first hour, as storage-svc writes to from then on:
   * the warm-up pass trains the segment dictionary and the stop-term list (on the default 10,000
   * segments, or the input's traces when fewer, effective at once) and the measured schema starts
   * with both, so its writer leaves stop terms out and counts none; {@code fresh} is a store's first hour: the measured writer
   * trains the dictionary on its first segments and counts every segment's terms for its stop-term
   * list, which it does not store within the pass. Either way the measured writer's caches
   * (operations, term days) start empty. A build without stop terms (before V12) runs {@code
   * fresh}.
   */
  record Store(String name, Constructor<PgSpanWriter> withSettings, Object training) {
    /**
     * @param segments at most as many as the warm-up pass writes: its writer trains on the default
     *     10,000 segments or these, the fewer
     */
    static Store of(String name, int segments) throws Exception {
      if (!name.equals("trained") && !name.equals("fresh")) {
        throw new IllegalArgumentException("-Dstore=trained or -Dstore=fresh, not " + name);
      }
      if (name.equals("trained")) {
        try {
          Class<?> settings = Class.forName("dev.cairn.store.pg.StopTermSettings");
          Object defaults = settings.getField("DEFAULT").get(null);
          int trainOn = Math.min(segments, (int) settings.getMethod("segments").invoke(defaults));
          return new Store(
              name,
              PgSpanWriter.class.getConstructor(DataSource.class, settings),
              settings.getMethod("withoutReaders", int.class).invoke(null, trainOn));
        } catch (ClassNotFoundException | NoSuchMethodException older) {
          // a build before stop terms
        }
      }
      return new Store("fresh", null, null);
    }

    Function<DataSource, PgSpanWriter> warmUp() {
      return withSettings == null ? PgSpanWriter::new : this::trainingWriter;
    }

    Function<DataSource, PgSpanWriter> measured() {
      return PgSpanWriter::new;
    }

    private PgSpanWriter trainingWriter(DataSource dataSource) {
      try {
        return withSettings.newInstance(dataSource, training);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The warm-up's dictionary and stop-term list into the measured schema, when trained. */
    void adopt(Connection connection, String from, String to) throws SQLException {
      if (withSettings == null) {
        return;
      }
      try (Statement s = connection.createStatement()) {
        for (String table : List.of("segment_dictionaries", "search_stop_terms")) {
          s.execute("INSERT INTO " + to + "." + table + " SELECT * FROM " + from + "." + table);
        }
      }
    }
  }

  /**
   * The records dealt to {@code lanes} by trace (as storage-svc's writers take Kafka partitions, so
   * no two lanes write one trace), each lane's in batches of whole records of at most {@code batch}
   * spans (storage-svc's cairn.storage.batch.max-spans), in the file's order.
   */
  private static List<List<Object>> lanes(
      List<Record> records, int lanes, int batch, Input input) throws Exception {
    List<List<Record>> byLane = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      byLane.add(new ArrayList<>());
    }
    for (Record record : records) {
      byLane.get(Math.floorMod(record.spans().get(0).traceId().hashCode(), lanes)).add(record);
    }
    List<List<Object>> batches = new ArrayList<>();
    for (List<Record> lane : byLane) {
      List<Object> own = new ArrayList<>();
      List<Record> next = new ArrayList<>();
      int spans = 0;
      for (Record record : lane) {
        if (spans > 0 && spans + record.spans().size() > batch) {
          own.add(input.prepare(next));
          next = new ArrayList<>();
          spans = 0;
        }
        next.add(record);
        spans += record.spans().size();
      }
      if (!next.isEmpty()) {
        own.add(input.prepare(next));
      }
      batches.add(own);
    }
    return batches;
  }

  /**
   * One writer (as storage-svc has) writing each lane's batches on a thread and a connection of
   * its own: -Dlanes=N (default 1), as storage-svc's cairn.storage.batch.writers.
   */
  private static Cost write(
      String url,
      String user,
      String password,
      String schema,
      List<List<Object>> lanes,
      Input input,
      Function<DataSource, PgSpanWriter> writers)
      throws Exception {
    List<Connection> connections = new ArrayList<>();
    try {
      Map<Thread, Connection> ofThread = new ConcurrentHashMap<>();
      PgSpanWriter writer = writers.apply(threadConnection(ofThread));
      List<Integer> pids = new ArrayList<>();
      for (int i = 0; i < lanes.size(); i++) {
        Connection connection = DriverManager.getConnection(url, user, password);
        connections.add(connection);
        try (Statement s = connection.createStatement()) {
          s.execute("SET search_path TO " + schema + ", public");
        }
        pids.add(backendPid(connection));
      }
      long[] jvm = new long[lanes.size()];
      Throwable[] failure = new Throwable[1];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < lanes.size(); i++) {
        int lane = i;
        threads.add(
            new Thread(
                () -> {
                  ofThread.put(Thread.currentThread(), connections.get(lane));
                  long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                  try {
                    for (Object batch : lanes.get(lane)) {
                      input.write(writer, batch);
                    }
                  } catch (Throwable e) {
                    failure[0] = e;
                  }
                  jvm[lane] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
                }));
      }
      long pg0 = cpuNanos(pids);
      long process0 = processCpuNanos();
      long postgres0 = postgresCpuNanos();
      long t0 = System.nanoTime();
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      long wall = System.nanoTime() - t0;
      long pg = cpuNanos(pids) - pg0;
      long process = processCpuNanos() - process0;
      long postgres = postgresCpuNanos() - postgres0;
      if (failure[0] != null) {
        throw new IllegalStateException("a writer lane failed", failure[0]);
      }
      return new Cost(wall, Arrays.stream(jvm).sum(), pg, process, postgres);
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  private static long cpuNanos(List<Integer> pids) throws Exception {
    long sum = 0;
    for (int pid : pids) {
      sum += backendCpuNanos(pid);
    }
    return sum;
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
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Every postgres process's CPU (the bench runs on the database's machine). */
  private static long postgresCpuNanos() throws Exception {
    long sum = 0;
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readString(process.resolve("comm")).strip().equals("postgres")) {
            sum += backendCpuNanos(Integer.parseInt(name));
          }
        } catch (java.io.IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return sum;
  }

  private static long backendCpuNanos(int pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static List<String> all(List<String> some, String... more) {
    List<String> all = new ArrayList<>(some);
    all.addAll(List.of(more));
    return all;
  }

  private static String schema(String role) {
    return "layout_bench_" + role + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A data source that hands each thread the connection {@code ofThread} names for it, whose
   * close() keeps it open.
   */
  private static DataSource threadConnection(Map<Thread, Connection> ofThread) {
    return (DataSource)
        Proxy.newProxyInstance(
            WriterBench.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, methodArgs) -> {
              if (method.getName().equals("getConnection")) {
                return kept(ofThread.get(Thread.currentThread()));
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  /** {@code connection}, with a close() that keeps it open. */
  private static Connection kept(Connection connection) {
    return (Connection)
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
  }
}
