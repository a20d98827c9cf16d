package dev.cairn.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff between attempts of one failing operation: the one retry delay of
 * every Cairn service. The n-th delay is {@code initial * 2^n}, at most {@code max}; with jitter
 * {@code j}, a random share of up to {@code j} of it is taken off (the delay is uniform in {@code
 * [(1 - j) d, d]}), so that many clients that failed together do not retry together. Not
 * thread-safe: one instance per retrying loop (or guarded by its owner's lock).
 */
public final class Backoff {

  /** Longest uninterrupted sleep, so that a stopping service is not held by a long delay. */
  private static final long SLICE_MILLIS = 100;

  private final Duration initial;
  private final Duration max;
  private final double jitter;
  private final DoubleSupplier random;
  private int attempts;
  private double draw;

  /** Without jitter: every delay is exactly {@code initial * 2^n}, capped. */
  public Backoff(Duration initial, Duration max) {
    this(initial, max, 0.0);
  }

  /**
   * @param jitter share of each delay that may be taken off at random, in [0, 1]
   */
  public Backoff(Duration initial, Duration max, double jitter) {
    this(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform draws in [0, 1), one per attempt
   */
  public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
    }
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
    this.draw = jitter == 0.0 ? 0.0 : random.getAsDouble();
  }

  /** Failed attempts since the last {@link #reset()}. */
  public int attempts() {
    return attempts;
  }

  /** The operation succeeded: the next failure waits {@code initial} again. */
  public void reset() {
    attempts = 0;
    redraw();
  }

  /** The delay the next {@link #sleep} (or {@link #fail}) waits. */
  public Duration nextDelay() {
    long millis = initial.toMillis() << Math.min(attempts, 30);
    long capped = Math.min(millis < 0 ? Long.MAX_VALUE : millis, max.toMillis());
    return Duration.ofMillis(capped - (long) (capped * jitter * draw));
  }

  /**
   * Counts a failed attempt and returns how long to wait before the next one, for callers that
   * schedule the retry rather than sleep on their thread.
   */
  public Duration fail() {
    Duration delay = nextDelay();
    attempts++;
    redraw();
    return delay;
  }

  /**
   * Counts a failed attempt and waits the next delay, returning early once {@code stillRunning}
   * turns false or the thread is interrupted (its interrupt flag stays set).
   */
  public void sleep(BooleanSupplier stillRunning) {
    long deadline = System.nanoTime() + fail().toNanos();
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

  private void redraw() {
    if (jitter > 0.0) {
      draw = random.getAsDouble();
    }
  }
}
