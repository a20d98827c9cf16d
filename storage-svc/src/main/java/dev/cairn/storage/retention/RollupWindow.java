package dev.cairn.storage.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The closed hours {@code [from, to)} one rollup run recomputes, both on the hour (UTC).
 *
 * <p>A run recomputes the last {@code lookback} of closed hours again (deltas the sampler publishes
 * late land in their hour), continues from the watermark when it is further back (a pause), and
 * covers at most {@code maxHours} hours; the open hour is never rolled up.
 */
public record RollupWindow(Instant from, Instant to) {

  public RollupWindow {
    if (!from.isBefore(to) || !onTheHour(from) || !onTheHour(to)) {
      throw new IllegalArgumentException("not a window of whole hours: " + from + " .. " + to);
    }
  }

  /**
   * @param now the run's time
   * @param watermark every hour before it was rolled up already (empty: none yet)
   * @param earliestMinute the oldest per-minute row (empty: none); where a first run starts
   * @return empty when there is no closed hour to roll up
   */
  public static Optional<RollupWindow> of(
      Instant now,
      Optional<Instant> watermark,
      Optional<Instant> earliestMinute,
      Duration lookback,
      int maxHours) {
    Instant closedUntil = hourOf(now);
    Optional<Instant> start =
        watermark.isPresent()
            ? watermark.map(w -> earliest(w, hourOf(closedUntil.minus(lookback))))
            : earliestMinute.map(RollupWindow::hourOf);
    if (start.isEmpty()) {
      return Optional.empty();
    }
    Instant from = hourOf(start.get());
    Instant to = earliest(closedUntil, from.plus(maxHours, ChronoUnit.HOURS));
    return from.isBefore(to) ? Optional.of(new RollupWindow(from, to)) : Optional.empty();
  }

  /** The start of the hour (UTC) holding {@code instant}. */
  public static Instant hourOf(Instant instant) {
    return instant.truncatedTo(ChronoUnit.HOURS);
  }

  private static boolean onTheHour(Instant instant) {
    return hourOf(instant).equals(instant);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
