package dev.cairn.sampler.spanmetrics;

import dev.cairn.sampler.spanmetrics.SpanMetricsCounters.SeriesFamily;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Series of one family between two drains, bounded: at most {@code maxSeries} of their own, then
 * the overflow series a key folds into ({@code fold}), at most {@code maxOverflowSeries} of those;
 * past both, {@link #get} answers null and the caller counts nothing. Folds and drops are counted.
 */
final class BoundedSeries<K, V> {

  private final SpanMetricsLimits limits;
  private final SeriesFamily family;
  private final SpanMetricsCounters counters;
  private final Supplier<V> create;
  private final UnaryOperator<K> fold;
  private Map<K, V> series = new HashMap<>();
  private int overflow;

  BoundedSeries(
      SpanMetricsLimits limits,
      SeriesFamily family,
      SpanMetricsCounters counters,
      Supplier<V> create,
      UnaryOperator<K> fold) {
    this.limits = limits;
    this.family = family;
    this.counters = counters;
    this.create = create;
    this.fold = fold;
  }

  /** The series of {@code key}, its overflow series when full, or null when that is full too. */
  V get(K key) {
    V found = series.get(key);
    if (found != null) {
      return found;
    }
    if (series.size() - overflow < limits.maxSeries()) {
      V created = create.get();
      series.put(key, created);
      return created;
    }
    K other = fold.apply(key);
    V folded = series.get(other);
    if (folded == null && overflow < limits.maxOverflowSeries()) {
      folded = create.get();
      series.put(other, folded);
      overflow++;
    }
    if (folded == null) {
      counters.dropped(family);
    } else {
      counters.folded(family);
    }
    return folded;
  }

  /** Everything held, and empty again. */
  Map<K, V> drain() {
    Map<K, V> drained = series;
    series = new HashMap<>();
    overflow = 0;
    return drained;
  }
}
