package dev.cairn.sampler.policy;

import dev.cairn.sampler.Ticker;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up; starts full. Not
 * thread-safe (the sampling thread owns it).
 */
public final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  /** Rounding slack, so that exactly one token's worth of time gives a token. */
  private static final double EPSILON = 1e-9;

  private final double ratePerSecond;
  private final double burst;
  private final Ticker ticker;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, double burst, Ticker ticker) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException(
          "need rate > 0 and burst >= 1, got " + ratePerSecond + ", " + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.ticker = ticker;
    this.tokens = burst;
    this.last = ticker.nanos();
  }

  /** Takes one token if there is one. */
  public boolean tryTake() {
    long now = ticker.nanos();
    tokens = Math.min(burst, tokens + Math.max(0, now - last) * ratePerSecond / NANOS_PER_SECOND);
    last = now;
    if (tokens >= 1 - EPSILON) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
