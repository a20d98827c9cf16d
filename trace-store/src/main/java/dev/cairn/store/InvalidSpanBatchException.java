package dev.cairn.store;

/**
 * The store refused the data of a batch itself (a value it cannot hold, {@link
 * StoreFailure#PERMANENT}); writing the same batch again fails the same way. Callers split the
 * batch to isolate the offending spans.
 */
public final class InvalidSpanBatchException extends RuntimeException {

  private final String sqlState;

  public InvalidSpanBatchException(String sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** The database's SQLState of the refusal; null when the store has none. */
  public String sqlState() {
    return sqlState;
  }
}
