package dev.cairn.collector.ingest;

import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one ingest path of both roles, called by every transport: validate and bound the spans, add
 * what the collector knows of their origin ({@link ResourceEnricher}), and hand them to the role's
 * {@link Outbound}: the gateway publishes them per trace to Kafka and answers only once every
 * accepted span is acknowledged; the agent samples and queues them for its gateways and answers at
 * once.
 */
public final class IngestService {

  private final SpanSanitizer sanitizer;
  private final ResourceEnricher enricher;
  private final Outbound outbound;
  private final IngestMetrics metrics;

  public IngestService(
      SpanSanitizer sanitizer,
      ResourceEnricher enricher,
      Outbound outbound,
      IngestMetrics metrics) {
    this.sanitizer = sanitizer;
    this.enricher = enricher;
    this.outbound = outbound;
    this.metrics = metrics;
  }

  /**
   * A gateway that enriches nothing, publishing per trace through {@code publisher}.
   *
   * @param maxRecordBytes largest record value the publisher may send; a span that alone (with its
   *     resource and scope) is larger is rejected as {@link RejectReason#SPAN_TOO_LARGE}
   */
  public IngestService(
      SpanSanitizer sanitizer, SpanPublisher publisher, IngestMetrics metrics, int maxRecordBytes) {
    this(
        sanitizer, ResourceEnricher.NONE, new PerTraceOutbound(publisher, maxRecordBytes), metrics);
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
    Outbound.Handoff handoff =
        sanitized.acceptedSpans() == 0
            ? Outbound.Handoff.nothing(Map.of())
            : outbound.send(enricher.enrich(sanitized.accepted()), sanitized.acceptedSpans());
    SanitizedBatch batch = sanitized.withRejected(handoff.refused());
    metrics.rejected(batch.rejected());
    metrics.truncated(batch.truncatedValues());
    metrics.replaced(batch.replaced());
    IngestResult result =
        new IngestResult(batch.acceptedSpans(), batch.rejectedSpans(), batch.rejectionMessage());
    if (handoff.handedOn() == 0) {
      metrics.stop(sample, transport, IngestMetrics.SUCCESS);
      return CompletableFuture.completedFuture(result);
    }
    return handoff
        .done()
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
              metrics.published(handoff.handedOn());
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
