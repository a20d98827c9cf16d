package dev.cairn.query.federation;

/** A call to a peer region failed; {@link #reason()} says how, for the answer and the metric. */
public final class PeerCallException extends RuntimeException {

  private final PeerFailure reason;

  public PeerCallException(PeerFailure reason, String message) {
    super(message);
    this.reason = reason;
  }

  public PeerCallException(PeerFailure reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public PeerFailure reason() {
    return reason;
  }
}
