package dev.cairn.sampler.assembly;

import java.time.Duration;

/**
 * When a buffered trace counts as complete, and how much may be buffered.
 *
 * @param decisionWait quiet time after the root arrived (and after each later span)
 * @param maxTraceAge time since the first span arrived after which a trace is decided anyway
 * @param maxBufferedSpans spans buffered over all traces; beyond, the oldest are decided early
 * @param maxBufferedBytes record bytes buffered over all traces; likewise
 * @param maxTraceSpans spans of one trace; beyond, it is decided early on its own
 * @param maxTraceBytes record bytes of one trace; likewise
 */
public record AssemblyLimits(
    Duration decisionWait,
    Duration maxTraceAge,
    long maxBufferedSpans,
    long maxBufferedBytes,
    int maxTraceSpans,
    long maxTraceBytes) {

  public AssemblyLimits {
    if (decisionWait.isNegative() || maxTraceAge.compareTo(decisionWait) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= decision-wait <= max-trace-age, got " + decisionWait + ", " + maxTraceAge);
    }
    if (maxBufferedSpans < 1 || maxBufferedBytes < 1 || maxTraceSpans < 1 || maxTraceBytes < 1) {
      throw new IllegalArgumentException("buffer bounds must be positive");
    }
  }
}
