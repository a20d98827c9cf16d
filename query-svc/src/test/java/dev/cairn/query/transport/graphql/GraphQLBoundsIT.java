package dev.cairn.query.transport.graphql;

import static dev.cairn.query.transport.graphql.GraphQLClient.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanLink;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.query.testing.BoundedReadsProfile;
import dev.cairn.query.testing.SpanMetricsFixtures;
import dev.cairn.query.testing.TestStore;
import dev.cairn.store.MetricsDelta;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * GraphQL at its configured bounds ({@link BoundedReadsProfile}): the span cap of a trace, the
 * traces one request may read by following links, and the edges of a dependencies answer. Each is
 * reached and passed by one, and says so.
 */
@QuarkusTest
@TestProfile(BoundedReadsProfile.class)
class GraphQLBoundsIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  @Test
  void aTraceAboveTheSpanCapIsTruncatedAndSaysSo() {
    TraceId id = SpanFixtures.randomTraceId();
    long start = now() - 60_000 * MS;
    int stored = BoundedReadsProfile.MAX_SPANS + 10;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < stored; i++) {
      spans.add(
          SpanFixtures.span(id, "gqlb" + RUN, "step " + i)
              .start(start + i * 1_000L)
              .end(start + i * 1_000L + 500L)
              .build());
    }
    write(spans);

    JsonPath json =
        post(
            "{ trace(id: \"%s\") { truncated spanCount storedSpanCount spans { name } } }"
                .formatted(id.toHex()));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getBoolean("data.trace.truncated")).isTrue();
    assertThat(json.getInt("data.trace.spanCount")).isEqualTo(BoundedReadsProfile.MAX_SPANS);
    assertThat(json.getInt("data.trace.storedSpanCount")).isEqualTo(stored);
    // the earliest spans are the ones kept
    assertThat(json.getList("data.trace.spans.name", String.class)).first().isEqualTo("step 0");
    assertThat(json.getList("data.trace.spans.name", String.class))
        .doesNotContain("step " + BoundedReadsProfile.MAX_SPANS);
  }

  @Test
  void linksIntoAsManyTracesAsAllowedResolveAndOneMoreIsRefused() {
    int max = BoundedReadsProfile.MAX_LINKED_TRACES;
    List<TraceId> targets = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    long start = now() - 60_000 * MS;
    for (int i = 0; i <= max; i++) {
      TraceId target = SpanFixtures.randomTraceId();
      targets.add(target);
      spans.add(span(target, "target " + i, 1, start, List.of()));
    }
    TraceId atLimit = SpanFixtures.randomTraceId();
    TraceId overLimit = SpanFixtures.randomTraceId();
    for (int i = 0; i <= max; i++) {
      TraceId target = targets.get(i);
      List<SpanLink> link =
          List.of(new SpanLink(target, SpanFixtures.derivedSpanId(target, 1), "", List.of(), 0, 0));
      if (i < max) {
        spans.add(span(atLimit, "linking " + i, i + 1, start + i * MS, link));
      }
      spans.add(span(overLimit, "linking " + i, i + 1, start + i * MS, link));
    }
    write(spans);
    String query = "{ trace(id: \"%s\") { spans { links { trace { traceId } span { name } } } } }";

    JsonPath allowed = post(query.formatted(atLimit.toHex()));
    JsonPath refused = post(query.formatted(overLimit.toHex()));

    assertThat(allowed.getList("errors")).isNull();
    assertThat(allowed.getList("data.trace.spans.links.trace.traceId.flatten()", String.class))
        .containsExactlyInAnyOrderElementsOf(
            targets.subList(0, max).stream().map(TraceId::toHex).toList());
    List<String> targetNames = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      targetNames.add("target " + i);
    }
    assertThat(allowed.getList("data.trace.spans.links.span.name.flatten()", String.class))
        .containsExactlyInAnyOrderElementsOf(targetNames);
    assertThat(refused.getString("errors[0].message"))
        .contains(
            "the query follows links into "
                + (max + 1)
                + " traces; at most "
                + max
                + " per request");
  }

  @Test
  void dependenciesWithMoreEdgesThanTheCapAreCutAndSaySo() {
    // A minute of this run's own, long ago, so that no other test's edges fall into it.
    long minute =
        Minutes.of(now()) - (1_000 + ThreadLocalRandom.current().nextInt(100_000)) * Minutes.NANOS;
    int cap = BoundedReadsProfile.MAX_EDGES;
    SpanMetricsFixtures.writer(BoundedReadsProfile.SCHEMA)
        .apply(
            "graphql-bounds-it-" + RUN,
            0,
            List.of(
                new MetricsDelta(0, edges(minute, cap + 1)),
                new MetricsDelta(1, edges(minute + Minutes.NANOS, cap))));

    JsonPath json =
        post(
            "{ dependencies(from: \"%s\", to: \"%s\") { truncated edges { parent child } } }"
                .formatted(iso(minute), iso(minute + Minutes.NANOS)));
    JsonPath atCap =
        post(
            "{ dependencies(from: \"%s\", to: \"%s\") { truncated edges { child } } }"
                .formatted(iso(minute + Minutes.NANOS), iso(minute + 2 * Minutes.NANOS)));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getBoolean("data.dependencies.truncated")).isTrue();
    assertThat(json.getList("data.dependencies.edges")).hasSize(cap);
    assertThat(atCap.getBoolean("data.dependencies.truncated")).isFalse();
    assertThat(atCap.getList("data.dependencies.edges")).hasSize(cap);
  }

  /** {@code count} request edges from one client to as many servers, one call each. */
  private static MetricsBatch edges(long minute, int count) {
    List<EdgeSeries> edges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SeriesAggregate calls = SeriesAggregate.builder().add(1, 5 * MS, null).build();
      edges.add(
          new EdgeSeries(
              minute,
              "gqlb" + RUN + "-client",
              "gqlb" + RUN + "-server-" + i,
              EdgeType.REQUEST,
              0,
              calls));
    }
    return new MetricsBatch(List.of(), edges);
  }

  private static Span span(
      TraceId trace, String name, int index, long start, List<SpanLink> links) {
    return SpanFixtures.span(trace, "gqlb" + RUN, name)
        .spanId(SpanFixtures.derivedSpanId(trace, index))
        .start(start)
        .end(start + MS)
        .links(links)
        .build();
  }

  private static void write(List<Span> spans) {
    TestStore.writer(BoundedReadsProfile.SCHEMA).write(RetentionClass.STANDARD, spans);
  }

  private static long now() {
    return Instant.now().getEpochSecond() * 1_000_000_000L;
  }

  private static String iso(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano).toString();
  }
}
