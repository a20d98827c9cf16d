package dev.cairn.storage.transport.kafka;

/** The dead-letter topic did not acknowledge: retry, and commit nothing meanwhile. */
final class DeadLetterUnavailableException extends RuntimeException {
  DeadLetterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
