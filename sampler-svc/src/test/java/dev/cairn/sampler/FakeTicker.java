package dev.cairn.sampler;

import java.time.Duration;

/** A clock tests move by hand. */
public final class FakeTicker implements Ticker {

  private long nanos = 1_000_000_000L;

  @Override
  public long nanos() {
    return nanos;
  }

  public void advance(Duration duration) {
    nanos += duration.toNanos();
  }
}
