package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cairn tracing itself into itself, with its one setting: a query-svc request is a trace with its
 * database calls in it; a span's way through the pipeline is one trace across the collector, the
 * sampler and storage, carried in the Kafka record headers; and Cairn's own spans, although stored,
 * make no new spans (no self-tracing loop).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfTracingE2E {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Pipeline pipeline;
  private QueryClient query;

  @BeforeAll
  void startPipeline() throws Exception {
    pipeline = Pipeline.startSelfTraced();
    query = new QueryClient(pipeline);
  }

  @AfterAll
  void stopPipeline() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aTraceByIdRequestOfQuerySvcIsATraceWithItsDatabaseCalls() throws Exception {
    TraceId appTrace = exportAppTrace("reader-" + pipeline.runId);
    await().atMost(WITHIN).until(() -> query.trace(appTrace.toHex()).isPresent());

    // That request, traced by query-svc itself, is stored in Cairn like any trace.
    List<Span> own =
        awaitOwnTrace(
            "cairn-query",
            spans ->
                spans.stream()
                    .anyMatch(
                        s ->
                            s.kind() == SpanKind.SERVER
                                && s.name().contains("/api/v1/traces/")
                                && hasAttributeValue(s, appTrace.toHex())));
    Span server = own.stream().filter(s -> s.kind() == SpanKind.SERVER).findFirst().orElseThrow();
    List<Span> database =
        own.stream()
            .filter(s -> s.kind() == SpanKind.CLIENT)
            .filter(s -> s.attributes().stream().anyMatch(a -> a.key().startsWith("db.")))
            .toList();
    assertThat(database).as("database spans of %s", server.name()).isNotEmpty();
    assertThat(database).allSatisfy(db -> assertThat(db.traceId()).isEqualTo(server.traceId()));
    assertThat(own).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("cairn-query"));
    assertThat(own.get(0).resource().attributes())
        .anySatisfy(a -> assertThat(a.key()).isEqualTo("cairn.self"));
  }

  @Test
  void aSpansWayFromCollectorThroughSamplerToStorageIsOneTraceAndOwnSpansMakeNoNewOnes()
      throws Exception {
    exportAppTrace("pipeline-" + pipeline.runId);

    List<Span> way =
        awaitOwnTrace(
            "cairn-collector",
            spans ->
                services(spans)
                    .containsAll(Set.of("cairn-collector", "cairn-sampler", "cairn-storage")));
    Span ingest = way.stream().filter(s -> s.name().equals("ingest")).findFirst().orElseThrow();
    Span sample = way.stream().filter(s -> s.name().equals("sample")).findFirst().orElseThrow();
    assertThat(ingest.serviceName()).isEqualTo("cairn-collector");
    assertThat(sample.serviceName()).isEqualTo("cairn-sampler");
    assertThat(sample.parentSpanId()).contains(ingest.spanId());
    Span store = way.stream().filter(s -> s.name().equals("store")).findFirst().orElseThrow();
    assertThat(store.serviceName()).isEqualTo("cairn-storage");
    assertThat(store.parentSpanId()).contains(sample.spanId());

    // Every service exports its own spans to this collector all along. Were their ingest traced,
    // each export would make a new "ingest" trace, and so on for ever: with no application traffic
    // the number of collector traces would keep growing. It must not.
    // The traces of the exports above reach storage a decision wait after their last span (tail
    // sampling): let them settle first (a few rounds at most: a loop would never settle).
    int before = ownTraces("cairn-collector").size();
    for (int round = 0, settled = -1; settled != before && round < 5; round++) {
      settled = before;
      Thread.sleep(3_000);
      before = ownTraces("cairn-collector").size();
    }
    Thread.sleep(3_000); // several export rounds of every service (200 ms schedule delay)
    // Make sure exports really happened meanwhile: query-svc's own spans of the searches above
    // are stored (traced by query-svc, never by the collector).
    assertThat(ownTraces("cairn-query")).isNotEmpty();
    assertThat(ownTraces("cairn-collector")).hasSize(before);
  }

  // ---------------------------------------------------------------------------------------------

  private TraceId exportAppTrace(String service) throws IOException, InterruptedException {
    TraceId id = SpanFixtures.randomTraceId();
    List<Span> spans = SpanFixtures.threeServiceTrace(id, System.currentTimeMillis() * 1_000_000L);
    OtlpHttpExport.post(pipeline, spans);
    return id;
  }

  /** Waits for a stored trace of Cairn's own {@code service} that satisfies {@code wanted}. */
  private List<Span> awaitOwnTrace(
      String service, java.util.function.Predicate<List<Span>> wanted) {
    List<List<Span>> found = new ArrayList<>(List.of(List.of()));
    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (String traceId : ownTraces(service)) {
                Optional<List<Span>> spans = query.trace(traceId).map(OtlpSpanMapper::toSpans);
                if (spans.isPresent() && wanted.test(spans.get())) {
                  found.set(0, spans.get());
                  return true;
                }
              }
              return false;
            });
    return found.get(0);
  }

  private List<String> ownTraces(String service) throws IOException, InterruptedException {
    return query.search("service=" + service + "&limit=1000");
  }

  private static Set<String> services(List<Span> spans) {
    return spans.stream().map(Span::serviceName).collect(Collectors.toSet());
  }

  private static boolean hasAttributeValue(Span span, String fragment) {
    for (Attribute attribute : span.attributes()) {
      if (String.valueOf(attribute.value()).contains(fragment)) {
        return true;
      }
    }
    return false;
  }
}
