package dev.cairn.query.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;

/**
 * Small read bounds, so that tests reach them with little data: a span cap of {@link #MAX_SPANS}, a
 * statement timeout of {@link #STATEMENT_TIMEOUT}, at most {@link #MAX_LINKED_TRACES} traces
 * followed by GraphQL links and {@link #MAX_EDGES} edges per dependencies answer, over a schema of
 * its own ({@link #SCHEMA}) that tests may lock without slowing anyone else's queries.
 */
public final class BoundedReadsProfile implements QuarkusTestProfile {

  public static final int MAX_SPANS = 50;
  public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
  public static final int MAX_LINKED_TRACES = 2;
  public static final int MAX_EDGES = 3;
  public static final String SCHEMA = TestStore.SCHEMA + "_bounds";

  @Override
  public Map<String, String> getConfigOverrides() {
    String searchPath = "quarkus.datasource.reactive.additional-properties.search_path";
    return Map.of(
        "cairn.query.trace.max-spans",
        Integer.toString(MAX_SPANS),
        "cairn.query.statement-timeout",
        STATEMENT_TIMEOUT.toMillis() + "ms",
        "cairn.query.graphql.max-linked-traces",
        Integer.toString(MAX_LINKED_TRACES),
        "cairn.query.metrics.max-edges",
        Integer.toString(MAX_EDGES),
        searchPath,
        SCHEMA,
        // application.properties sets the test profile's search path; this one wins over it.
        "%test." + searchPath,
        SCHEMA);
  }
}
