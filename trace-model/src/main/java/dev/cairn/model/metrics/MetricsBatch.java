package dev.cairn.model.metrics;

import java.util.List;

/** The content of one {@code cairn.metrics} record: deltas to add to what is stored. */
public record MetricsBatch(List<SpanSeries> spanSeries, List<EdgeSeries> edgeSeries) {

  public MetricsBatch {
    spanSeries = List.copyOf(spanSeries);
    edgeSeries = List.copyOf(edgeSeries);
  }

  public boolean isEmpty() {
    return spanSeries.isEmpty() && edgeSeries.isEmpty();
  }
}
