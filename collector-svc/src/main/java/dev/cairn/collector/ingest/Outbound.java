package dev.cairn.collector.ingest;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the valid, enriched spans of a request go: cut per trace and published to Kafka ({@link
 * PerTraceOutbound}, gateway role), or queued for the gateways (the agent role's {@code
 * QueuedOutbound}).
 */
@FunctionalInterface
public interface Outbound {

  /**
   * Hands the spans on. Whatever is refused is known at once, before anything is awaited; returns
   * without blocking longer than the publisher's own short bound.
   *
   * @param spans the request's valid spans, grouped by resource and scope, no empty group
   * @param spanCount how many spans {@code spans} holds
   */
  Handoff send(List<ResourceSpans> spans, int spanCount);

  /**
   * What became of the spans.
   *
   * @param refused spans refused by reason (reported to the client as rejected)
   * @param handedOn spans published or queued
   * @param done completes once the spans handed on are as safe as the role promises (acknowledged
   *     by Kafka; queued), or exceptionally with {@link PublishFailedException}
   */
  record Handoff(Map<RejectReason, Integer> refused, int handedOn, CompletionStage<Void> done) {

    public Handoff {
      refused = Map.copyOf(refused);
    }

    /** Nothing left to send: done already. */
    public static Handoff nothing(Map<RejectReason, Integer> refused) {
      return new Handoff(refused, 0, CompletableFuture.completedFuture(null));
    }
  }
}
