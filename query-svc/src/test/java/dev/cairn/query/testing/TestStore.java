package dev.cairn.query.testing;

import dev.cairn.model.Attribute;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real TimescaleDB {@code cairn_test} database as integration tests see it: trace-store's
 * migrations applied into the schema the test profile's reactive pool searches, and spans written
 * through trace-store's own writer, the path storage-svc takes.
 */
public final class TestStore {

  /** The test profile's reactive pool searches the same schema (application.properties). */
  public static final String SCHEMA = env("CAIRN_QUERY_IT_SCHEMA", "query_svc_it");

  private static final Map<String, PgSpanWriter> WRITERS = new HashMap<>();

  private TestStore() {}

  /** Migrates the schema once per JVM and returns a writer into it. */
  public static PgSpanWriter writer() {
    return writer(SCHEMA);
  }

  /** Migrates {@code schema} once per JVM and returns a writer into it. */
  public static synchronized PgSpanWriter writer(String schema) {
    return WRITERS.computeIfAbsent(
        schema,
        s -> {
          PGSimpleDataSource dataSource = dataSource(s);
          SchemaMigrations.apply(dataSource, s);
          return new PgSpanWriter(dataSource);
        });
  }

  /** JDBC connections into {@code schema} of the test database. */
  public static PGSimpleDataSource dataSource(String schema) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(
        "jdbc:postgresql://"
            + env("CAIRN_DB_HOST", "127.0.0.1")
            + ":"
            + env("CAIRN_DB_PORT", "5433")
            + "/cairn_test");
    dataSource.setUser(env("CAIRN_DB_USER", "cairn"));
    dataSource.setPassword(env("CAIRN_DB_PASSWORD", "cairn"));
    dataSource.setCurrentSchema(schema);
    return dataSource;
  }

  public static void write(List<Span> spans) {
    writer().write(RetentionClass.STANDARD, spans);
  }

  /**
   * The spans with every {@code service.name} prefixed, so that searches by service in a test run
   * see only that run's traces although the schema keeps earlier runs' data.
   */
  public static List<Span> withServicePrefix(String prefix, List<Span> spans) {
    List<Span> renamed = new ArrayList<>(spans.size());
    for (Span s : spans) {
      List<Attribute> attributes = new ArrayList<>();
      for (Attribute a : s.resource().attributes()) {
        attributes.add(
            a.key().equals(Resource.SERVICE_NAME)
                ? Attribute.of(Resource.SERVICE_NAME, prefix + s.serviceName())
                : a);
      }
      Resource resource =
          new Resource(attributes, s.resource().droppedAttributesCount(), s.resource().schemaUrl());
      renamed.add(
          new Span(
              s.traceId(),
              s.spanId(),
              s.parentSpanId(),
              s.traceState(),
              s.flags(),
              s.name(),
              s.kind(),
              s.startTimeUnixNano(),
              s.endTimeUnixNano(),
              s.attributes(),
              s.droppedAttributesCount(),
              s.events(),
              s.droppedEventsCount(),
              s.links(),
              s.droppedLinksCount(),
              s.status(),
              resource,
              s.scope()));
    }
    return renamed;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
