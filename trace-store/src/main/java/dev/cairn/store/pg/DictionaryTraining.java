package dev.cairn.store.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The writer's first raw segment payloads, kept until there are enough to train a {@link
 * SegmentDictionary} on. Bounded: at most {@link #SAMPLE_BYTES} plus one segment are held; after
 * {@link #MAX_ATTEMPTS} failed trainings it stops collecting (segments then stay compressed without
 * a dictionary, as correct, about twice as large). Thread-safe.
 */
final class DictionaryTraining {

  /**
   * Raw bytes to train on: ~100 segments of 20 spans. 100 segments trained a dictionary as good (to
   * 1 %) as 850 did on the benchmark's spans, in 64 ms.
   */
  static final int SAMPLE_BYTES = 1 << 20;

  /** Samples at least: zstd's trainer refuses very few. */
  static final int MIN_SAMPLES = 32;

  static final int MAX_ATTEMPTS = 3;

  private final int sampleBytes;
  private final List<byte[]> samples = new ArrayList<>();
  private long held;
  private int attempts;

  DictionaryTraining() {
    this(SAMPLE_BYTES);
  }

  DictionaryTraining(int sampleBytes) {
    this.sampleBytes = sampleBytes;
  }

  /**
   * Adds raw segment payloads; trains once enough are held. Empty while collecting, after a failed
   * attempt (the samples are dropped and collection starts over) and once given up.
   */
  synchronized Optional<SegmentDictionary> offer(List<byte[]> raw) {
    if (attempts >= MAX_ATTEMPTS) {
      return Optional.empty();
    }
    for (byte[] sample : raw) {
      if (enough()) {
        break;
      }
      samples.add(sample);
      held += sample.length;
    }
    if (!enough()) {
      return Optional.empty();
    }
    attempts++;
    try {
      return Optional.of(SegmentDictionary.train(samples));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    } finally {
      samples.clear();
      held = 0;
    }
  }

  /** Enough bytes in enough samples, or (very large segments) the bound on what is held. */
  private boolean enough() {
    return (held >= sampleBytes && samples.size() >= MIN_SAMPLES) || held >= 8L * sampleBytes;
  }

  synchronized boolean gaveUp() {
    return attempts >= MAX_ATTEMPTS;
  }
}
