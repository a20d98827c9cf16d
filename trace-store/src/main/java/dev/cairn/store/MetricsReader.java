package dev.cairn.store;

import dev.cairn.model.metrics.SpanSeries;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * Reads span metrics and the service graph back. Non-blocking, parameterised; failures as {@link
 * TraceReader}'s ({@link QueryTimeoutException}, {@link StoreUnavailableException}).
 */
public interface MetricsReader {

  /**
   * Edges with calls in minutes from {@code start} to {@code end} (exclusive), summed, sorted by
   * client, server and type; at most {@code limit}.
   */
  Uni<List<EdgeTotal>> dependencies(Instant start, Instant end, int limit);

  /** One point per step that has data, in time order; steps without data are left out. */
  Uni<List<MetricsPoint>> serviceMetrics(MetricsQuery query);

  /**
   * The stored rows of the minutes after {@code after} up to {@code through} (inclusive), in minute
   * order, at most {@code limit}: what happened since a previous read.
   */
  Uni<List<SpanSeries>> spanSeries(Instant after, Instant through, int limit);
}
