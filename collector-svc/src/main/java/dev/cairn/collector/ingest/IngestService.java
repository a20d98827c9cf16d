package dev.cairn.collector.ingest;

import dev.cairn.model.wire.TraceSplit;
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
 * split them per trace (and a trace larger than one Kafka record into several records of the same
 * key), publish, and answer only once every accepted span is acknowledged.
 */
public final class IngestService {

  private final SpanSanitizer sanitizer;
  private final SpanPublisher publisher;
  private final IngestMetrics metrics;
  private final int maxRecordBytes;

  /**
   * @param maxRecordBytes largest record value the publisher may send; a span that alone (with its
   *     resource and scope) is larger is rejected as {@link RejectReason#SPAN_TOO_LARGE}
   */
  public IngestService(
      SpanSanitizer sanitizer, SpanPublisher publisher, IngestMetrics metrics, int maxRecordBytes) {
    this.sanitizer = sanitizer;
    this.publisher = publisher;
    this.metrics = metrics;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Ingests one export request.
   *
   * @return completes with the OTLP answer (invalid spans reported, the rest published), or
   *     exceptionally with {@link PublishFailedException} when the accepted spans could not all be
   *     published; the caller then answers with a retryable status or, when the exception is not
   *     {@link PublishFailedException#retryable()}, a final one
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
    SanitizedBatch sanitized = sanitizer.sanitize(parsed);
    TraceSplit split = TraceWireCodec.splitByTrace(sanitized.accepted(), maxRecordBytes);
    SanitizedBatch batch =
        sanitized.withRejected(RejectReason.SPAN_TOO_LARGE, split.oversizedSpans());
    metrics.rejected(batch.rejected());
    metrics.truncated(batch.truncatedValues());
    metrics.replaced(batch.replaced());
    int accepted = batch.acceptedSpans();
    IngestResult result =
        new IngestResult(accepted, batch.rejectedSpans(), batch.rejectionMessage());
    if (split.parts().isEmpty()) {
      metrics.stop(sample, transport, IngestMetrics.SUCCESS);
      return CompletableFuture.completedFuture(result);
    }
    return publishSafely(split)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                PublishFailedException publishFailure = asPublishFailure(failure);
                metrics.stop(
                    sample,
                    transport,
                    publishFailure.retryable() ? IngestMetrics.UNAVAILABLE : IngestMetrics.REFUSED);
                metrics.publishFailed(publishFailure.retryable());
                throw publishFailure;
              }
              metrics.stop(sample, transport, IngestMetrics.SUCCESS);
              metrics.published(accepted);
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

  private CompletionStage<Void> publishSafely(TraceSplit split) {
    try {
      return publisher.publish(split.parts());
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
    // Not classified by the adapter: let the client try again rather than lose its spans.
    return new PublishFailedException("spans could not be published: " + cause, cause, true);
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
