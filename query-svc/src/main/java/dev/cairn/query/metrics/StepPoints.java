package dev.cairn.query.metrics;

import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every step of a query's window, those without data as zeros, so a chart has no holes. */
public final class StepPoints {

  private static final SeriesAggregate NONE =
      new SeriesAggregate(0, 0, 0, new double[DurationBuckets.COUNT], Optional.empty());

  private StepPoints() {}

  public static List<MetricsPoint> fill(MetricsQuery query, List<MetricsPoint> stored) {
    Map<Instant, MetricsPoint> byStart = new HashMap<>();
    stored.forEach(point -> byStart.put(point.start(), point));
    List<MetricsPoint> all = new ArrayList<>();
    for (Instant at = query.start(); at.isBefore(query.end()); at = at.plus(query.step())) {
      MetricsPoint point = byStart.get(at);
      all.add(point != null ? point : new MetricsPoint(at, 0, NONE));
    }
    return all;
  }
}
