package dev.cairn.collector.ingest;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The answer to an export request whose accepted spans are all published.
 *
 * @param acceptedSpans spans published
 * @param rejectedSpans spans refused as invalid
 * @param errorMessage why they were refused, and which characters were replaced; empty when neither
 *     happened
 */
public record IngestResult(int acceptedSpans, int rejectedSpans, String errorMessage) {

  /**
   * The OTLP response: empty on full success, {@code partial_success} when spans were refused or
   * (with {@code rejected_spans} 0, a warning in OTLP's terms) characters replaced.
   */
  public ExportTraceServiceResponse toResponse() {
    if (rejectedSpans == 0 && errorMessage.isEmpty()) {
      return ExportTraceServiceResponse.getDefaultInstance();
    }
    return ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(rejectedSpans)
                .setErrorMessage(errorMessage))
        .build();
  }
}
