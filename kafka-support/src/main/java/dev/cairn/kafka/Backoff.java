package dev.cairn.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Capped exponential backoff between attempts of one failing operation: the one retry delay of
 * every Cairn service. The n-th delay is {@code initial * 2^n}, at most {@code max}. Not
 * thread-safe: one instance per retrying loop.
 */
public final class Backoff {

  /** Longest uninterrupted sleep, so that a stopping service is not held by a long delay. */
  private static final long SLICE_MILLIS = 100;

  private final Duration initial;
  private final Duration max;
  private int attempts;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
  }

  /** Failed attempts since the last {@link #reset()}. */
  public int attempts() {
    return attempts;
  }

  /** The operation succeeded: the next failure waits {@code initial} again. */
  public void reset() {
    attempts = 0;
  }

  /** The delay the next {@link #sleep} waits. */
  public Duration nextDelay() {
    long millis = initial.toMillis() << Math.min(attempts, 30);
    return Duration.ofMillis(Math.min(millis < 0 ? Long.MAX_VALUE : millis, max.toMillis()));
  }

  /**
   * Counts a failed attempt and waits the next delay, returning early once {@code stillRunning}
   * turns false or the thread is interrupted (its interrupt flag stays set).
   */
  public void sleep(BooleanSupplier stillRunning) {
    long deadline = System.nanoTime() + nextDelay().toNanos();
    attempts++;
    while (stillRunning.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.min(SLICE_MILLIS, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
