package dev.cairn.loadgen.generate;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A random source that can start over from a new seed, so that one {@link TraceGenerator} (whose
 * set-up costs more than a trace) can make many independently seeded streams: what it produces
 * after {@link #reseed} depends on that seed alone, not on what it produced before.
 */
public final class ReseedableRandom implements RandomGenerator {

  private SplittableRandom current;

  public ReseedableRandom(long seed) {
    this.current = new SplittableRandom(seed);
  }

  public void reseed(long seed) {
    current = new SplittableRandom(seed);
  }

  @Override
  public long nextLong() {
    return current.nextLong();
  }
}
