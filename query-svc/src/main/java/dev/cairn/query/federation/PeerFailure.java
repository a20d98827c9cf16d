package dev.cairn.query.federation;

/** Why a peer region gave no answer; the label is the metric's {@code reason} tag. */
public enum PeerFailure {
  /** No answer within {@code cairn.query.federation.timeout}. */
  TIMEOUT("timeout"),
  /** The connection could not be made or broke (refused, reset, unknown host). */
  UNREACHABLE("unreachable"),
  /** The peer answered with a 5xx status (its store is down, or it failed). */
  SERVER_ERROR("server_error"),
  /** The peer answered, but not with what its API promises (a 4xx, a body that does not parse). */
  BAD_RESPONSE("bad_response"),
  /** Already {@code max-concurrent-calls} calls to the peer in flight and as many waiting. */
  OVERLOADED("overloaded");

  private final String label;

  PeerFailure(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
