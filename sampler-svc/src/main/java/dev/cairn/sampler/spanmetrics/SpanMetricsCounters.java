package dev.cairn.sampler.spanmetrics;

import java.util.Locale;

/** What the aggregator counts besides its figures: what its bounds cost. */
public interface SpanMetricsCounters {

  SpanMetricsCounters NONE =
      new SpanMetricsCounters() {
        @Override
        public void folded(SeriesFamily family) {}

        @Override
        public void dropped(SeriesFamily family) {}
      };

  /** A span (or edge) went into an overflow series because its own series did not fit. */
  void folded(SeriesFamily family);

  /** A span (or edge) was not counted at all: the overflow series were full too. */
  void dropped(SeriesFamily family);

  /** Which kind of series. */
  enum SeriesFamily {
    SPAN,
    EDGE;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
