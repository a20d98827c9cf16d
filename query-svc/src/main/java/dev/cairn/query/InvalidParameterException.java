package dev.cairn.query;

/**
 * A request parameter the caller must fix: the API answers 400 with {@link #reason()} so the caller
 * sees what was wrong, never a server error.
 */
public final class InvalidParameterException extends RuntimeException {

  private final String parameter;
  private final String reason;

  public InvalidParameterException(String parameter, String reason) {
    super(parameter + ": " + reason);
    this.parameter = parameter;
    this.reason = reason;
  }

  /** The name of the offending query or path parameter. */
  public String parameter() {
    return parameter;
  }

  /** Why the value was refused, phrased for the caller. */
  public String reason() {
    return reason;
  }
}
