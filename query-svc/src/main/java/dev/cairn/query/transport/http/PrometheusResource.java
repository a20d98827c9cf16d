package dev.cairn.query.transport.http;

import dev.cairn.model.metrics.Minutes;
import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.metrics.CumulativeSpanMetrics;
import dev.cairn.query.metrics.OpenMetricsText;
import dev.cairn.store.MetricsReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Span metrics for Prometheus to scrape, with exemplars (see {@link OpenMetricsText}): totals since
 * this process started serving them, each minute added once it is {@code
 * cairn.query.metrics.prometheus-lag} old (complete).
 */
@Path("/api/v1/metrics/prometheus")
@Tag(name = "metrics")
public class PrometheusResource {

  /** Rows read per scrape at most; a longer backlog is read over several scrapes. */
  static final int MAX_ROWS = 200_000;

  private final MetricsReader reader;
  private final CumulativeSpanMetrics totals;
  private final long lagNanos;
  private final Clock clock = Clock.systemUTC();

  @Inject
  PrometheusResource(MetricsReader reader, CumulativeSpanMetrics totals, QueryConfig config) {
    this.reader = reader;
    this.totals = totals;
    this.lagNanos = config.metrics().prometheusLag().toNanos();
  }

  @GET
  @Produces(OpenMetricsText.MEDIA_TYPE)
  @Operation(
      summary = "Span metrics in OpenMetrics text, with exemplars",
      description =
          "cairn_span_calls_total and the histogram cairn_span_duration_seconds per service,"
              + " operation, span_kind and status_code, weighted by adjusted count; each bucket"
              + " carries the trace_id and span_id of its latest exemplar. Totals count from"
              + " this process's first scrape on (a restart is a counter reset); a minute is"
              + " added once it is cairn.query.metrics.prometheus-lag (2m) old.")
  public Uni<Response> scrape() {
    long now = Instant.now(clock).getEpochSecond() * 1_000_000_000L;
    long target = Minutes.of(now - lagNanos) - Minutes.NANOS; // the last complete minute
    long[] pending = totals.pending(target);
    if (pending.length == 0) {
      return Uni.createFrom().item(answer());
    }
    return reader
        .spanSeries(instant(pending[0]), instant(pending[1]), MAX_ROWS)
        .map(
            rows -> {
              totals.add(pending[0], pending[1], rows, rows.size() < MAX_ROWS);
              return answer();
            });
  }

  private Response answer() {
    return Response.ok(OpenMetricsText.print(totals.snapshot(), totals.droppedSeries()))
        .type(OpenMetricsText.MEDIA_TYPE)
        .build();
  }

  private static Instant instant(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano);
  }
}
