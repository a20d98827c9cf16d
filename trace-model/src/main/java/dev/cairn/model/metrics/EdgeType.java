package dev.cairn.model.metrics;

/** How a service edge was seen; numbered as on the wire and in the store. */
public enum EdgeType {
  /** A CLIENT span whose SERVER child is in another service. */
  REQUEST,
  /** A PRODUCER span whose CONSUMER child is in another service. */
  MESSAGING,
  /**
   * A CLIENT span with no child in the trace, to the peer its {@code peer.service} (or else {@code
   * server.address}) attribute names: a database, a cache or a service that sends no spans.
   */
  VIRTUAL;

  public int number() {
    return ordinal();
  }

  /** Unknown numbers are refused: an edge of a kind this version cannot tell is not stored. */
  public static EdgeType forNumber(int number) {
    if (number < 0 || number >= values().length) {
      throw new IllegalArgumentException("unknown edge type " + number);
    }
    return values()[number];
  }
}
