package dev.cairn.model.metrics;

import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import java.util.Comparator;

/**
 * A span that stands for a series: the slowest one counted in it, to go from a figure to a trace.
 */
public record Exemplar(TraceId traceId, SpanId spanId, long durationNanos) {

  /**
   * Which of two exemplars a merged series keeps: the slower; on a tie the smaller trace id, then
   * span id, so that the result is the same in whatever order deltas are added.
   */
  public static final Comparator<Exemplar> PREFERRED =
      Comparator.comparingLong(Exemplar::durationNanos)
          .reversed()
          .thenComparing(Exemplar::traceId)
          .thenComparingLong(e -> e.spanId().value());

  /** The one of {@code a} and {@code b} to keep; either may be null. */
  public static Exemplar preferred(Exemplar a, Exemplar b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return PREFERRED.compare(a, b) <= 0 ? a : b;
  }
}
