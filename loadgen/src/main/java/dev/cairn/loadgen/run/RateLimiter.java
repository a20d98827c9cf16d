package dev.cairn.loadgen.run;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spreads permits (spans) evenly over time, shared by all sending threads. Unused time is not saved
 * up: after a stall the rate resumes instead of bursting.
 */
final class RateLimiter {

  private final double nanosPerPermit;
  private final LongSupplier nanoTime;
  private final AtomicLong nextFree;

  RateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException("rate must be > 0: " + permitsPerSecond);
    }
    this.nanosPerPermit = 1e9 / permitsPerSecond;
    this.nanoTime = nanoTime;
    this.nextFree = new AtomicLong(nanoTime.getAsLong());
  }

  /** Reserves {@code permits} and returns the {@code nanoTime} at which they may be used. */
  long reserve(int permits) {
    long cost = (long) Math.ceil(permits * nanosPerPermit);
    while (true) {
      long now = nanoTime.getAsLong();
      long previous = nextFree.get();
      long start = Math.max(previous, now);
      if (nextFree.compareAndSet(previous, start + cost)) {
        return start;
      }
    }
  }

  /**
   * Waits until {@code permits} may be used; returns {@code false} without waiting when that is
   * after {@code deadlineNanos}.
   */
  boolean acquire(int permits, long deadlineNanos) {
    long start = reserve(permits);
    if (start - deadlineNanos > 0) {
      return false;
    }
    long wait;
    while ((wait = start - nanoTime.getAsLong()) > 0) {
      LockSupport.parkNanos(wait);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return true;
  }
}
