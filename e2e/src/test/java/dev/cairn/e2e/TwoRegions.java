package dev.cairn.e2e;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two federated regions a and b, each a query-svc process over a store of its own (a schema of this
 * run in the test database, migrated and written through trace-store, as storage-svc does), each
 * the other's peer. Closing stops both and drops the two schemas.
 */
final class TwoRegions implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code cairn.query.statement-timeout} of both regions. */
  static final String STATEMENT_TIMEOUT = "3s";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String schemaA = "e2e_fed_" + run + "_a";
  private final String schemaB = "e2e_fed_" + run + "_b";
  final PgSpanWriter storeA;
  final PgSpanWriter storeB;
  private ServiceProcess a;
  private ServiceProcess b;

  /** Migrates both stores; {@link #start} then runs the two query-svc processes. */
  TwoRegions() {
    storeA = writer(schemaA);
    storeB = writer(schemaB);
  }

  /**
   * @param peerTimeout {@code cairn.query.federation.timeout} of both
   */
  void start(String peerTimeout) throws IOException, InterruptedException, ExecutionException {
    int portA = Pipeline.freePort();
    int portB = Pipeline.freePort();
    // Both at once: a JVM's start is mostly waiting on a loaded machine.
    ExecutorService starter = Executors.newFixedThreadPool(2);
    try {
      Future<ServiceProcess> startingB =
          starter.submit(
              () ->
                  ServiceProcess.start(
                      "query-svc",
                      "query-region-b",
                      portB,
                      config("b", schemaB, "a", portA, peerTimeout)));
      Future<ServiceProcess> startingA =
          starter.submit(
              () ->
                  ServiceProcess.start(
                      "query-svc",
                      "query-region-a",
                      portA,
                      config("a", schemaA, "b", portB, peerTimeout)));
      b = startingB.get();
      a = startingA.get();
    } finally {
      starter.shutdown();
    }
  }

  ServiceProcess a() {
    return a;
  }

  ServiceProcess b() {
    return b;
  }

  static void write(PgSpanWriter store, Span... spans) {
    store.write(RetentionClass.STANDARD, List.of(spans));
  }

  /** A root span of its own trace. */
  static Span root(TraceId traceId, String service, long start, long end) {
    return SpanFixtures.span(
        traceId,
        SpanFixtures.randomSpanId(),
        Optional.<SpanId>empty(),
        service,
        "GET /",
        SpanKind.SERVER,
        start,
        end);
  }

  static HttpResponse<byte[]> get(ServiceProcess region, String pathAndQuery)
      throws IOException, InterruptedException {
    return HTTP.send(
        request(region, pathAndQuery).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A request that would fail the test, not hang it, if an answer waited on a hung peer. */
  static HttpRequest.Builder request(ServiceProcess region, String pathAndQuery) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + region.httpPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(20));
  }

  @Override
  public void close() throws InterruptedException, IOException, SQLException {
    if (b != null) {
      b.signal("CONT");
      b.close();
    }
    if (a != null) {
      a.close();
    }
    try (Connection connection = dataSource("public").getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schemaA + " CASCADE");
      statement.execute("DROP SCHEMA IF EXISTS " + schemaB + " CASCADE");
    }
  }

  /** A connection to region a's or b's own store (its schema), as the test's hand on it. */
  Connection connectionTo(ServiceProcess region) throws SQLException {
    return dataSource(region == a ? schemaA : schemaB).getConnection();
  }

  private static Map<String, String> config(
      String name, String schema, String peer, int peerPort, String peerTimeout) {
    return Map.of(
        "cairn.query.region",
        name,
        "cairn.query.federation.peers." + peer + ".url",
        "http://127.0.0.1:" + peerPort,
        "cairn.query.federation.timeout",
        peerTimeout,
        // A region's own store stuck (FederationE2E locks its tables) fails in this time.
        "cairn.query.statement-timeout",
        STATEMENT_TIMEOUT,
        "quarkus.datasource.reactive.url",
        "postgresql://" + dbAddress(),
        "quarkus.datasource.reactive.additional-properties.search_path",
        schema,
        "quarkus.datasource.username",
        Pipeline.DB_USER,
        "quarkus.datasource.password",
        Pipeline.DB_PASSWORD);
  }

  private static PgSpanWriter writer(String schema) {
    PGSimpleDataSource dataSource = dataSource(schema);
    SchemaMigrations.apply(dataSource, schema);
    return new PgSpanWriter(dataSource);
  }

  private static PGSimpleDataSource dataSource(String schema) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl("jdbc:postgresql://" + dbAddress());
    dataSource.setUser(Pipeline.DB_USER);
    dataSource.setPassword(Pipeline.DB_PASSWORD);
    dataSource.setCurrentSchema(schema);
    return dataSource;
  }

  private static String dbAddress() {
    return Pipeline.DB_HOST + ":" + Pipeline.DB_PORT + "/" + Pipeline.DB_NAME;
  }
}
