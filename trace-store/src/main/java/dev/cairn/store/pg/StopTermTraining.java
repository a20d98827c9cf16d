package dev.cairn.store.pg;

import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.cursors.IntIntCursor;
import java.util.Arrays;
import java.util.List;
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
  private final IntIntHashMap counts = new IntIntHashMap();
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
  synchronized Optional<StopTerms> offer(List<int[]> segmentTerms) {
    if (done || segmentTerms.isEmpty()) {
      return Optional.empty();
    }
    if (segments == 0) {
      startedAt = nanoTime.getAsLong();
    }
    for (int[] terms : segmentTerms) {
      for (int term : terms) {
        if (counts.size() < MAX_DISTINCT || counts.containsKey(term)) {
          counts.addTo(term, 1);
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
    counts.release(); // never counted again
    return Optional.of(trained);
  }

  /** Segments counted so far. */
  synchronized int segments() {
    return segments;
  }

  private int[] commonest() {
    double floor = StopTerms.SHARE * segments;
    long[] common = new long[counts.size()]; // the count in the high half: sorted by it
    int n = 0;
    for (IntIntCursor term : counts) {
      if (term.value > floor) {
        common[n++] = ((long) term.value << 32) | (term.key & 0xffff_ffffL);
      }
    }
    Arrays.sort(common, 0, n);
    int[] commonest = new int[Math.min(n, StopTerms.MAX_TERMS)];
    for (int i = 0; i < commonest.length; i++) {
      commonest[i] = (int) common[n - 1 - i];
    }
    return commonest;
  }
}
