package dev.cairn.store;

/**
 * The database cancelled a read that ran longer than its statement timeout (SQLState 57014). The
 * store is up; the query was too expensive for the time allowed, so the caller may narrow it or
 * retry later.
 */
public final class QueryTimeoutException extends RuntimeException {
  public QueryTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
