package dev.cairn.collector.ingest;

/**
 * Accepted spans could not be published. Either the failure may pass (the broker is unreachable or
 * slow) and transports answer gRPC UNAVAILABLE / HTTP 503 with Retry-After, or it cannot (the
 * broker refused the records for good: too large, not authorised, invalid topic) and they answer
 * gRPC INVALID_ARGUMENT / HTTP 400, which OTLP clients do not retry. The publisher adapter decides
 * which, from what failed.
 */
public final class PublishFailedException extends RuntimeException {

  private final boolean retryable;

  public PublishFailedException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether sending the same request again may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
