package dev.cairn.storage.transport.kafka;

import java.time.Duration;

/** Exponential backoff between retries of one failing operation, capped. */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private int attempts;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  int attempts() {
    return attempts;
  }

  void reset() {
    attempts = 0;
  }

  /** Sleeps the next delay (unless {@code stillRunning} is false) and counts the attempt. */
  void sleep(boolean stillRunning) {
    long delay = initial.toMillis() << Math.min(attempts, 20);
    attempts++;
    if (!stillRunning) {
      return;
    }
    try {
      Thread.sleep(Math.min(delay, max.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
