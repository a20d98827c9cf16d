package dev.cairn.store;

import dev.cairn.model.metrics.SeriesAggregate;
import java.time.Instant;

/**
 * A service's span metrics summed over one step: weighted requests ({@code aggregate.count()}),
 * weighted errors among them, and the merged duration histogram.
 */
public record MetricsPoint(Instant start, double errors, SeriesAggregate aggregate) {}
