package dev.cairn.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** query-svc settings, under {@code cairn.query}. */
@ConfigMapping(prefix = "cairn.query")
public interface QueryConfig {

  /**
   * PostgreSQL {@code statement_timeout} of every connection of the reactive pool: the database
   * cancels a longer statement and the request is answered 503 instead of hanging.
   */
  @WithDefault("10s")
  Duration statementTimeout();

  /**
   * This region's name (application.properties: {@code cairn.region}, as the gateway stamps it on
   * every resource, else {@code local}). Peers must be named otherwise.
   */
  @WithDefault("local")
  String region();

  /** Peer regions whose query endpoints trace reads and search fan out to. */
  Federation federation();

  interface Federation {
    /**
     * Peer regions by name ({@code cairn.query.federation.peers.<region>.url}): none, the default,
     * answers from this region alone, exactly as without federation. Names: lowercase letters,
     * digits and '-'.
     */
    Map<String, Peer> peers();

    /**
     * How long a peer may take to answer one call; later, the answer is given without it and names
     * it in {@code missingRegions}.
     */
    @WithDefault("2s")
    Duration timeout();

    /**
     * Calls to one peer in flight at most (its connection pool); as many more may wait, further
     * ones fail at once as {@code overloaded}.
     */
    @WithDefault("16")
    int maxConcurrentCalls();

    interface Peer {
      /** The peer's query-svc base URL, e.g. {@code http://query.eu-west.example:16686}. */
      URI url();
    }
  }

  /** Search defaults applied when the caller leaves a parameter out, and search bounds. */
  Search search();

  /** Trace-by-id bounds. */
  Trace trace();

  /** Span metrics and the service graph. */
  Metrics metrics();

  /**
   * The GraphQL API's own bounds (depth and complexity are SmallRye's, see application.properties).
   */
  Graphql graphql();

  interface Graphql {
    /**
     * Traces one request may read to resolve {@code SpanLink.trace} / {@code SpanLink.span} in one
     * batch: each is a trace read, which depth and complexity limits do not bound.
     */
    @WithDefault("100")
    int maxLinkedTraces();
  }

  /** Read-time clock-skew adjustment of trace views. */
  ClockSkew clockSkew();

  interface ClockSkew {
    /**
     * The largest shift applied to a span's clock; a larger computed shift is not applied and the
     * span is flagged. 0 disables adjustment.
     */
    @WithDefault("1s")
    Duration maxAdjustment();
  }

  /** The Jaeger-compatible API under /jaeger/api. */
  Jaeger jaeger();

  interface Jaeger {
    /**
     * Spans one search answer holds at most, over all its traces (Jaeger's search returns whole
     * traces): each trace gets an equal share, at least one span, and says when it was cut.
     */
    @WithDefault("100000")
    int searchMaxSpans();
  }

  interface Metrics {
    /** Window of the metric endpoints when {@code start} is not given. */
    @WithDefault("1h")
    Duration defaultLookback();

    /** The longest {@code end - start} of a metrics query. */
    @WithDefault("30d")
    Duration maxWindow();

    /** Steps a service-metrics answer may have at most. */
    @WithDefault("1440")
    int maxPoints();

    /** Edges a dependencies answer holds at most (it says when it was cut). */
    @WithDefault("10000")
    int maxEdges();

    /**
     * How old a minute must be before the Prometheus endpoint adds it to its totals: by then the
     * sampler has decided and published every trace that started in it (decision wait, maximum
     * trace age).
     */
    @WithDefault("2m")
    Duration prometheusLag();

    /** Series the Prometheus endpoint holds at most. */
    @WithDefault("10000")
    int prometheusMaxSeries();
  }

  interface Search {
    /** How far before {@code end} a search starts when {@code start} is not given. */
    @WithDefault("1h")
    Duration defaultLookback();

    /** Page size when {@code limit} is not given (1 to 1000). */
    @WithDefault("20")
    int defaultLimit();

    /** The longest {@code end - start} of a search; default the longest span retention. */
    @WithDefault("30d")
    Duration maxWindow();
  }

  interface Trace {
    /**
     * Spans returned for one trace at most; a larger trace is answered with its earliest spans and
     * marked truncated.
     */
    @WithDefault("50000")
    int maxSpans();
  }
}
