package dev.cairn.collector.agent;

/** How a gateway answered one export. */
public sealed interface ExportResult {

  /**
   * The gateway took the export. Spans it rejected ({@code partial_success}) are not sent again:
   * the gateway said why, and the same spans would be rejected again.
   *
   * @param rejectedSpans {@code partial_success.rejected_spans}
   * @param errorMessage {@code partial_success.error_message}, empty if none
   */
  record Accepted(long rejectedSpans, String errorMessage) implements ExportResult {}

  /**
   * The export failed: the gateway's gRPC status, or the client's own (unreachable, deadline).
   *
   * @param code the gRPC status code's name, e.g. {@code UNAVAILABLE}
   * @param description what the status said
   */
  record Failed(String code, String description) implements ExportResult {
    public boolean retryable() {
      return RetryPolicy.isRetryable(code);
    }
  }
}
