package dev.cairn.sampler;

/**
 * A monotonic clock in nanoseconds: what trace assembly and rate limits measure time with, so that
 * tests move time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
