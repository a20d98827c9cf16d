package dev.cairn.collector.ingest;

/**
 * Accepted spans could not be published (the broker is unreachable, slow or refused them). The
 * request is retryable: transports answer gRPC UNAVAILABLE / HTTP 503 with Retry-After.
 */
public final class PublishFailedException extends RuntimeException {
  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
