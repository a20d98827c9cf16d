package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.ingest.SpanPublisher;
import dev.cairn.model.wire.TracePart;
import dev.cairn.selftracing.SelfTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where Cairn's own traces of the pipeline begin: each publish of accepted spans is a span {@code
 * ingest}, current while the records are made, so {@link KafkaSpanPublisher} writes its context
 * into their headers and the sampler and storage continue the trace. Spans of Cairn's own services
 * ({@link SelfTelemetry}) are published with no trace at all. With self-tracing off the tracer is a
 * no-op and this costs one resource scan per request.
 */
public final class TracedSpanPublisher implements SpanPublisher {

  private final SpanPublisher delegate;
  private final Tracer tracer;

  public TracedSpanPublisher(SpanPublisher delegate, Tracer tracer) {
    this.delegate = delegate;
    this.tracer = tracer;
  }

  @Override
  public CompletionStage<Void> publish(List<TracePart> parts) {
    if (isOwn(parts)) {
      try (Scope untraced = Context.root().makeCurrent()) {
        return delegate.publish(parts);
      }
    }
    Span span =
        tracer
            .spanBuilder("ingest")
            .setNoParent()
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("cairn.traces", (long) parts.size())
            .setAttribute("cairn.spans", (long) spanCount(parts))
            .startSpan();
    CompletionStage<Void> published;
    try (Scope scope = span.makeCurrent()) {
      published = delegate.publish(parts);
    } catch (RuntimeException e) {
      published = CompletableFuture.failedFuture(e);
    }
    return published.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
          }
          span.end();
        });
  }

  private static boolean isOwn(List<TracePart> parts) {
    for (TracePart part : parts) {
      if (SelfTelemetry.isOwn(part.data().getResourceSpansList())) {
        return true;
      }
    }
    return false;
  }

  private static int spanCount(List<TracePart> parts) {
    int spans = 0;
    for (TracePart part : parts) {
      spans += part.spanCount();
    }
    return spans;
  }
}
