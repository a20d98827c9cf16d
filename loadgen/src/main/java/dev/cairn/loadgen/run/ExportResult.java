package dev.cairn.loadgen.run;

/**
 * What the receiver answered to one export request.
 *
 * @param ok whether the request was answered with success (possibly with a partial success)
 * @param rejectedSpans spans the receiver refused ({@code partial_success.rejected_spans})
 * @param status {@code OK}, or the failure: a gRPC status code name, {@code HTTP_503}, or the
 *     simple name of a transport exception
 * @param message the receiver's message (partial success or error), or empty
 */
public record ExportResult(boolean ok, long rejectedSpans, String status, String message) {

  public static ExportResult accepted(long rejectedSpans, String message) {
    return new ExportResult(true, rejectedSpans, "OK", message == null ? "" : message);
  }

  public static ExportResult failed(String status, String message) {
    return new ExportResult(false, 0, status, message == null ? "" : message);
  }

  public static ExportResult failed(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)) {
      cause = cause.getCause();
    }
    return failed(cause.getClass().getSimpleName(), cause.getMessage());
  }
}
