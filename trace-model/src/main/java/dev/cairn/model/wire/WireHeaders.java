package dev.cairn.model.wire;

/** Kafka header names of the wire contract (docs/architecture.md). */
public final class WireHeaders {
  /** On cairn.spans.sampled: {@link RetentionClass#headerValue()}. */
  public static final String RETENTION = "cairn-retention";

  /** On cairn.spans.sampled: why the trace was kept (e.g. {@code probabilistic}). */
  public static final String SAMPLING_REASON = "cairn-sampling-reason";

  /**
   * On cairn.spans.sampled: {@code true} on a record that came after its trace was decided and
   * follows that decision (a late span); absent on records published with the decision.
   */
  public static final String LATE_SPAN = "cairn-late-span";

  private WireHeaders() {}
}
