package dev.cairn.collector.ingest;

import dev.cairn.model.wire.TracePart;
import dev.cairn.model.wire.TraceWireCodec;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one ingest path of the gateway, called by every transport: validate and bound the spans,
 * split them per trace, publish, and answer only once every accepted span is acknowledged.
 */
public final class IngestService {

  private final SpanSanitizer sanitizer;
  private final SpanPublisher publisher;
  private final IngestMetrics metrics;

  public IngestService(SpanSanitizer sanitizer, SpanPublisher publisher, IngestMetrics metrics) {
    this.sanitizer = sanitizer;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /**
   * Ingests one export request.
   *
   * @return completes with the OTLP answer (invalid spans reported, the rest published), or
   *     exceptionally with {@link PublishFailedException} when the accepted spans could not all be
   *     published; the caller then answers with a retryable status
   */
  public CompletionStage<IngestResult> ingest(
      ExportTraceServiceRequest request, Transport transport) {
    return ingest(new ParsedRequest(request, 0, true), transport);
  }

  /** As {@link #ingest(ExportTraceServiceRequest, Transport)}, with what parsing replaced. */
  public CompletionStage<IngestResult> ingest(ParsedRequest parsed, Transport transport) {
    Timer.Sample sample = metrics.start();
    List<ResourceSpans> resourceSpans = parsed.request().getResourceSpansList();
    metrics.received(transport, countSpans(resourceSpans));
    SanitizedBatch batch = sanitizer.sanitize(parsed);
    metrics.rejected(batch.rejected());
    metrics.truncated(batch.truncatedValues());
    metrics.replaced(batch.replaced());
    IngestResult result =
        new IngestResult(batch.acceptedSpans(), batch.rejectedSpans(), batch.rejectionMessage());
    if (batch.acceptedSpans() == 0) {
      metrics.stop(sample, transport, true);
      return CompletableFuture.completedFuture(result);
    }
    List<TracePart> parts = TraceWireCodec.splitByTrace(batch.accepted());
    return publishSafely(parts)
        .handle(
            (ignored, failure) -> {
              metrics.stop(sample, transport, failure == null);
              if (failure != null) {
                metrics.publishFailed();
                throw asPublishFailure(failure);
              }
              metrics.published(batch.acceptedSpans());
              return result;
            });
  }

  /**
   * Counts a request refused whole because its body could not be decoded (not protobuf, not OTLP
   * JSON, not gzip): it never reaches {@link #ingest}, and has no spans to count as rejected.
   */
  public void rejectMalformed(Transport transport) {
    metrics.malformedRequest(transport);
  }

  private CompletionStage<Void> publishSafely(List<TracePart> parts) {
    try {
      return publisher.publish(parts);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static PublishFailedException asPublishFailure(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof PublishFailedException publishFailed) {
      return publishFailed;
    }
    return new PublishFailedException("spans could not be published: " + cause, cause);
  }

  private static int countSpans(List<ResourceSpans> resourceSpans) {
    int spans = 0;
    for (ResourceSpans r : resourceSpans) {
      for (var scope : r.getScopeSpansList()) {
        spans += scope.getSpansCount();
      }
    }
    return spans;
  }
}
