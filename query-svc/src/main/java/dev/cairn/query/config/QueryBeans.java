package dev.cairn.query.config;

import dev.cairn.query.federation.Federation;
import dev.cairn.query.federation.PeerFailureMeter;
import dev.cairn.query.federation.PeerRegion;
import dev.cairn.query.metrics.CumulativeSpanMetrics;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.query.trace.ClockSkewAdjuster;
import dev.cairn.query.trace.TraceAnalyzer;
import dev.cairn.query.trace.TraceQueries;
import dev.cairn.query.transport.http.PeerRegions;
import dev.cairn.query.transport.jaeger.JaegerRequestParser;
import dev.cairn.store.MetricsReader;
import dev.cairn.store.TraceReader;
import dev.cairn.store.pg.PgMetricsReader;
import dev.cairn.store.pg.PgTraceReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Wires query-svc's plain-Java parts from configuration and the Quarkus-managed pool. */
@Dependent
public final class QueryBeans {

  @Produces
  @Singleton
  SearchRequestParser searchRequestParser(QueryConfig config) {
    return new SearchRequestParser(
        Clock.systemUTC(),
        config.search().defaultLookback(),
        config.search().defaultLimit(),
        config.search().maxWindow());
  }

  @Produces
  @Singleton
  MetricsRequestParser metricsRequestParser(QueryConfig config) {
    return new MetricsRequestParser(
        Clock.systemUTC(),
        config.metrics().defaultLookback(),
        config.metrics().maxWindow(),
        config.metrics().maxPoints());
  }

  @Produces
  @Singleton
  JaegerRequestParser jaegerRequestParser(
      SearchRequestParser searchParser, MetricsRequestParser metricsParser) {
    return new JaegerRequestParser(Clock.systemUTC(), searchParser, metricsParser);
  }

  @Produces
  @Singleton
  CumulativeSpanMetrics cumulativeSpanMetrics(QueryConfig config) {
    return new CumulativeSpanMetrics(config.metrics().prometheusMaxSeries());
  }

  @Produces
  @Singleton
  MetricsReader metricsReader(Pool pool) {
    return new PgMetricsReader(pool);
  }

  @Produces
  @Singleton
  TraceQueries traceQueries(Federation federation, MetricsReader metrics, QueryConfig config) {
    return new TraceQueries(
        federation,
        metrics,
        new TraceAnalyzer(new ClockSkewAdjuster(config.clockSkew().maxAdjustment())),
        config.trace().maxSpans());
  }

  /** This region's store and its configured peer regions (none: this region alone). */
  @Produces
  @Singleton
  Federation federation(
      TraceReader reader, QueryConfig config, PeerRegions peers, MeterRegistry registry) {
    List<PeerRegion> regions = peers.regions(config.region(), config.federation());
    // With peers, this region's own store failing is counted too, under its name.
    List<String> names = new ArrayList<>();
    if (!regions.isEmpty()) {
      names.add(config.region());
    }
    regions.forEach(peer -> names.add(peer.name()));
    return new Federation(
        new PeerRegion(config.region(), reader),
        regions,
        config.federation().timeout(),
        new PeerFailureMeter(registry, names));
  }

  /**
   * The reader over the reactive pool of {@code quarkus.datasource.reactive.*} (with the statement
   * timeout of {@link StatementTimeoutPoolCreator}); it decodes traces on Mutiny's default worker
   * pool, which Quarkus makes its worker threads, never on the event loop.
   */
  @Produces
  @Singleton
  TraceReader traceReader(Pool pool) {
    return new PgTraceReader(pool);
  }
}
