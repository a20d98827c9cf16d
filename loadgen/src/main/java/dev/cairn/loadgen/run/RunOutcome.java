package dev.cairn.loadgen.run;

/**
 * How a run went.
 *
 * @param stats final counters
 * @param elapsedNanos from the first request to the last answer (or the drain timeout)
 * @param drained whether every in-flight request was answered before the run ended
 */
public record RunOutcome(StatsSnapshot stats, long elapsedNanos, boolean drained) {

  public double elapsedSeconds() {
    return elapsedNanos / 1e9;
  }
}
