package dev.cairn.store;

/** The store could not complete an operation (connection lost, database restarting); retryable. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
