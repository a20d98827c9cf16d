package dev.cairn.collector.agent;

import dev.cairn.collector.ingest.Outbound;
import dev.cairn.collector.ingest.RejectReason;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's way out: head sampling, then the kept spans serialized into one request and queued
 * for the gateways. Fails open: done as soon as the spans are queued, never waiting for a gateway;
 * when the queue has no room, the request's spans are dropped and reported to the application as
 * rejected ({@link RejectReason#QUEUE_FULL}), so its export still succeeds at once and its SDK does
 * not resend what the agent could not hold.
 */
public final class QueuedOutbound implements Outbound {

  private final HeadSampler sampler;
  private final ForwardQueue queue;
  private final AgentMetrics metrics;

  public QueuedOutbound(HeadSampler sampler, ForwardQueue queue, AgentMetrics metrics) {
    this.sampler = sampler;
    this.queue = queue;
    this.metrics = metrics;
  }

  @Override
  public Handoff send(List<ResourceSpans> spans, int spanCount) {
    HeadSampler.Sampled sampled = sampler.sample(spans);
    metrics.dropped(DropReason.HEAD_SAMPLING, sampled.droppedSpans(), "");
    int kept = sampled.keptSpans();
    if (kept == 0) {
      return Handoff.nothing(Map.of());
    }
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(sampled.kept())
            .build()
            .toByteArray();
    if (!queue.offer(request, kept)) {
      metrics.dropped(
          DropReason.QUEUE_FULL,
          kept,
          "no room for " + request.length + " bytes in a queue of " + queue.maxBytes());
      return Handoff.nothing(Map.of(RejectReason.QUEUE_FULL, kept));
    }
    metrics.queued(request.length);
    return new Handoff(Map.of(), kept, CompletableFuture.completedFuture(null));
  }
}
