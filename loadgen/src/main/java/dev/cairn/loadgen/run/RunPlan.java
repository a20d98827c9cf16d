package dev.cairn.loadgen.run;

import java.time.Duration;

/**
 * When a run stops and how hard it pushes. A run always ends: at {@code duration}, or once {@code
 * maxSpans} spans were sent (overshooting by less than one batch per connection), whichever comes
 * first.
 *
 * @param duration how long to send; {@code null} only when {@code maxSpans > 0}
 * @param maxSpans spans to send; 0 = bounded by duration alone
 * @param spansPerSecond target rate over all connections; 0 = as fast as possible
 * @param inFlightPerConnection requests awaiting an answer per connection
 * @param drainTimeout how long to wait for in-flight requests after sending stops
 */
public record RunPlan(
    Duration duration,
    long maxSpans,
    double spansPerSecond,
    int inFlightPerConnection,
    Duration drainTimeout) {

  public RunPlan {
    if (duration == null && maxSpans <= 0) {
      throw new IllegalArgumentException("a run needs a duration or a span count");
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    if (maxSpans < 0 || spansPerSecond < 0 || inFlightPerConnection < 1) {
      throw new IllegalArgumentException("spans and rate must be >= 0, in-flight >= 1");
    }
  }
}
