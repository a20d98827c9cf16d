import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.pg.PgTraceReader;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.io.OutputStream;
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

/**
 * The input of bench/storage-layout.sh: the newest ROWS spans of a database, whole traces, as
 * length-delimited TracesData. Single-file program run on the compact build's classpath only
 * (WriterBench runs on both builds, so it can use no API the older one lacks):
 *
 * <pre>
 * ExportSpans URL USER PASSWORD ROWS FILE
 * </pre>
 *
 * Its V1–V5 rows through LegacySpanCopy when it has any (written before V6), else its compact
 * layout through PgTraceReader (a database written since V6, such as a fresh machine's).
 */
public final class ExportSpans {

  public static void main(String[] args) throws Exception {
    export(args[0], args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
  }

  /** The newest spans of the database, whole traces, as length-delimited TracesData. */
  static void export(String url, String user, String password, int rows, Path file)
      throws Exception {
    Map<Object, List<Span>> byTrace =
        hasLegacyRows(url, user, password)
            ? legacy(url, user, password, rows)
            : compact(url, user, password, rows);
    try (OutputStream out = Files.newOutputStream(file)) {
      int spans = 0;
      for (List<Span> trace : byTrace.values()) {
        OtlpSpanMapper.toTracesData(trace).writeDelimitedTo(out);
        spans += trace.size();
      }
      System.err.printf("exported %d spans of %d traces%n", spans, byTrace.size());
    }
  }

  private static boolean hasLegacyRows(String url, String user, String password)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT to_regclass('spans_standard') IS NOT NULL"
                    + " AND EXISTS (SELECT 1 FROM spans_standard)")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  /** The newest whole traces of the compact layout (V6 on), read as query-svc reads them. */
  private static Map<Object, List<Span>> compact(
      String url, String user, String password, int rows) throws SQLException {
    List<TraceId> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT trace_id, span_count FROM trace_summaries_all"
                    + " ORDER BY start_unix_nano DESC LIMIT " + rows)) {
      int total = 0;
      while (total < rows && r.next()) {
        UUID id = (UUID) r.getObject(1);
        ids.add(new TraceId(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        total += r.getInt(2);
      }
    }
    PgConnectOptions options =
        PgConnectOptions.fromUri(url.substring("jdbc:".length()))
            .setUser(user)
            .setPassword(password);
    Pool pool = PgBuilder.pool().connectingTo(options).build();
    try {
      var traces =
          new PgTraceReader(pool, Runnable::run)
              .findTraces(ids, Integer.MAX_VALUE)
              .await()
              .indefinitely();
      Map<Object, List<Span>> byTrace = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        byTrace.put(ids.get(i), traces.get(i).spans());
      }
      return byTrace;
    } finally {
      pool.closeAndAwait();
    }
  }

  /** The newest spans of the V1–V5 tables, whole traces. */
  private static Map<Object, List<Span>> legacy(
      String url, String user, String password, int rows) throws Exception {
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
    return byTrace;
  }
}
