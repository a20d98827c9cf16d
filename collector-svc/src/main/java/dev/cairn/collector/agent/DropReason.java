package dev.cairn.collector.agent;

/**
 * Why the agent dropped spans: the {@code reason} tag of {@code
 * cairn_collector_agent_spans_dropped_total}.
 */
public enum DropReason {
  /** Not kept by head sampling (consistent, by trace id). */
  HEAD_SAMPLING("head_sampling"),
  /** No room left in the queue (the application was told, in {@code partial_success}). */
  QUEUE_FULL("queue_full"),
  /** A gateway answered with a status that retrying cannot change (e.g. INVALID_ARGUMENT). */
  REFUSED("refused"),
  /** A gateway took the export but rejected some of its spans ({@code partial_success}). */
  REJECTED_BY_GATEWAY("rejected_by_gateway"),
  /** Retried for longer than {@code cairn.collector.agent.export.max-age} without success. */
  EXPIRED("expired"),
  /** Still queued when the agent stopped and its drain time was over. */
  SHUTDOWN("shutdown");

  private final String tag;

  DropReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
