package dev.cairn.store;

/**
 * The store refused the data of a batch itself (a value it cannot hold); writing the same batch
 * again fails the same way. Callers split the batch to find and drop the offending spans.
 */
public final class InvalidSpanBatchException extends RuntimeException {
  public InvalidSpanBatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
