package dev.cairn.model.wire;

/** Default topic names of the wire contract; a region prefix may be configured per service. */
public final class TopicNames {
  public static final String SPANS_INGESTED = "cairn.spans.ingested";
  public static final String SPANS_SAMPLED = "cairn.spans.sampled";
  public static final String METRICS = "cairn.metrics";

  /** Records storage-svc cannot store, unchanged, with headers saying why and where from. */
  public static final String SPANS_DEAD = "cairn.spans.dead";

  private TopicNames() {}
}
