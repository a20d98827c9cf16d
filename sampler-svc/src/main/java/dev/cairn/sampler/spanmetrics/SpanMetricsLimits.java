package dev.cairn.sampler.spanmetrics;

/**
 * Bounds of one {@link SpanMetricsAggregator} between two drains.
 *
 * @param maxSeries span series (and, separately, edge series) held at most; a span of a new series
 *     beyond it is folded into its minute's overflow series ({@link SpanMetricsAggregator#OTHER})
 * @param maxOverflowSeries overflow series held at most on top (one per minute, kind and status);
 *     beyond them a span is dropped and counted
 * @param seriesPerRecord series per published record, which bounds a record's size (names are cut
 *     to {@link SpanMetricsAggregator#MAX_NAME_LENGTH} characters)
 */
public record SpanMetricsLimits(int maxSeries, int maxOverflowSeries, int seriesPerRecord) {

  public static final SpanMetricsLimits DEFAULT = new SpanMetricsLimits(20_000, 1_000, 500);

  public SpanMetricsLimits {
    if (maxSeries < 1 || maxOverflowSeries < 1 || seriesPerRecord < 1) {
      throw new IllegalArgumentException("span-metric limits must be positive");
    }
  }
}
