package dev.cairn.store.pg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Counts the terms of a writer's fresh segments until {@link StopTermSettings#segments} were
 * counted over at least {@link StopTermSettings#period}, then names the terms in more than {@link
 * StopTerms#SHARE} of them (the commonest {@link StopTerms#MAX_TERMS} at most). Bounded: at most
 * {@link #MAX_DISTINCT} distinct terms are counted (the 50 M-span load holds ~43,000); a term first
 * seen once the bound is reached is not counted, which can only leave a stop term indexed.
 * Thread-safe.
 */
final class StopTermTraining {

  static final int MAX_DISTINCT = 1 << 17;

  private final StopTermSettings settings;
  private final LongSupplier nanoTime;
  private final Map<Integer, int[]> counts = new HashMap<>();
  private long startedAt;
  private int segments;
  private boolean done;

  StopTermTraining(StopTermSettings settings) {
    this(settings, System::nanoTime);
  }

  StopTermTraining(StopTermSettings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
  }

  /**
   * Counts the terms of fresh segments (each array distinct); the list once enough were counted,
   * then never again.
   */
  synchronized Optional<StopTerms> offer(List<Integer[]> segmentTerms) {
    if (done || segmentTerms.isEmpty()) {
      return Optional.empty();
    }
    if (segments == 0) {
      startedAt = nanoTime.getAsLong();
    }
    for (Integer[] terms : segmentTerms) {
      for (Integer term : terms) {
        int[] count = counts.get(term);
        if (count != null) {
          count[0]++;
        } else if (counts.size() < MAX_DISTINCT) {
          counts.put(term, new int[] {1});
        }
      }
    }
    segments += segmentTerms.size();
    if (segments < settings.segments()
        || nanoTime.getAsLong() - startedAt < settings.period().toNanos()) {
      return Optional.empty();
    }
    done = true;
    StopTerms trained = StopTerms.of(commonest());
    counts.clear();
    return Optional.of(trained);
  }

  /** Segments counted so far. */
  synchronized int segments() {
    return segments;
  }

  private int[] commonest() {
    double floor = StopTerms.SHARE * segments;
    return counts.entrySet().stream()
        .filter(e -> e.getValue()[0] > floor)
        .sorted((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]))
        .limit(StopTerms.MAX_TERMS)
        .mapToInt(Map.Entry::getKey)
        .toArray();
  }
}
