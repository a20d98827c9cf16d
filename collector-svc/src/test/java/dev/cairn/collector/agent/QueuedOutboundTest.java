package dev.cairn.collector.agent;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.collector.ingest.IngestLimits;
import dev.cairn.collector.ingest.IngestMetrics;
import dev.cairn.collector.ingest.IngestResult;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.ResourceEnricher;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.ingest.Transport;
import dev.cairn.kafka.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The agent's ingest path: the same {@link IngestService}, head sampling, then the queue. */
class QueuedOutboundTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private IngestService agent(double probability, ForwardQueue queue) {
    GatewayPool pool =
        new GatewayPool(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), () -> 0);
    AgentMetrics metrics = new AgentMetrics(registry, queue, pool);
    return new IngestService(
        new SpanSanitizer(IngestLimits.DEFAULTS),
        new ResourceEnricher(Map.of(ResourceEnricher.K8S_POD_NAME, "pod-1"), Map.of()),
        new QueuedOutbound(new HeadSampler(probability), queue, metrics),
        new IngestMetrics(registry));
  }

  private static ExportTraceServiceRequest spans(int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spans.add(span(randomTraceId(), "s" + i).build());
    }
    return request(resourceSpans("svc", spans));
  }

  private double counter(String name, String reason) {
    var search = registry.find(name);
    if (reason != null) {
      search = search.tag("reason", reason);
    }
    return search.counter() == null ? -1 : search.counter().count();
  }

  @Test
  void theExportIsAnsweredOnceQueuedAndTheQueueHoldsOneRequestOfTheKeptSpans() throws Exception {
    ForwardQueue queue = new ForwardQueue(1 << 20, System::nanoTime);

    CompletionStage<IngestResult> answer = agent(1.0, queue).ingest(spans(10), Transport.GRPC);

    IngestResult result = answer.toCompletableFuture().getNow(null);
    assertThat(result).as("answered without waiting for any gateway").isNotNull();
    assertThat(result.toResponse().hasPartialSuccess()).isFalse();
    assertThat(queue.spans()).isEqualTo(10);
    ExportBatch batch = queue.take(1 << 20, Duration.ZERO);
    ExportTraceServiceRequest queued =
        ExportTraceServiceRequest.parseFrom(batch.requests().get(0).bytes());
    assertThat(queued.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(10);
    assertThat(queued.getResourceSpans(0).getResource().getAttributesList())
        .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("k8s.pod.name"));
    assertThat(counter("cairn.collector.spans.published", null)).isEqualTo(10);
  }

  @Test
  void sampledOutSpansAreCountedNotRejected() throws Exception {
    ForwardQueue queue = new ForwardQueue(1 << 20, System::nanoTime);

    IngestResult result =
        agent(0.1, queue).ingest(spans(1_000), Transport.HTTP_PROTOBUF).toCompletableFuture().get();

    assertThat(result.acceptedSpans()).isEqualTo(1_000);
    assertThat(result.toResponse().hasPartialSuccess()).isFalse();
    double dropped = counter("cairn.collector.agent.spans.dropped", "head_sampling");
    assertThat(dropped + queue.spans()).isEqualTo(1_000);
    assertThat(queue.spans()).isBetween(30L, 200L); // about 100; exact checks in HeadSamplerTest
  }

  @Test
  void aFullQueueDropsTheNewestRequestCountsItAndStillAnswersAtOnce() throws Exception {
    ForwardQueue queue = new ForwardQueue(4_096, System::nanoTime);
    IngestService agent = agent(1.0, queue);
    int exports = 0;
    while (queue.bytes() < 3_000) {
      assertThat(
              agent
                  .ingest(spans(5), Transport.GRPC)
                  .toCompletableFuture()
                  .getNow(null)
                  .toResponse()
                  .hasPartialSuccess())
          .isFalse();
      exports++;
    }
    long held = queue.bytes();

    IngestResult overflow =
        agent.ingest(spans(50), Transport.GRPC).toCompletableFuture().getNow(null);

    assertThat(overflow).as("never blocks, never fails").isNotNull();
    assertThat(overflow.acceptedSpans()).isZero();
    assertThat(overflow.toResponse().getPartialSuccess().getRejectedSpans()).isEqualTo(50);
    assertThat(overflow.toResponse().getPartialSuccess().getErrorMessage())
        .contains("50 agent queue full");
    assertThat(queue.bytes()).isEqualTo(held);
    assertThat(queue.spans()).isEqualTo(5L * exports);
    assertThat(counter("cairn.collector.agent.spans.dropped", "queue_full")).isEqualTo(50);
    assertThat(counter("cairn.collector.spans.rejected", "queue_full")).isEqualTo(50);
  }
}
