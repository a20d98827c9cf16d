package dev.cairn.query.metrics;

import dev.cairn.model.SpanKind;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.search.DurationParser;
import dev.cairn.query.search.Names;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.store.MetricsQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parameters of the span-metric endpoints, or a 400 naming the parameter. Span metrics are kept per
 * minute, so {@code start} is rounded down and {@code end} up to whole minutes, and {@code step}
 * must be whole minutes; a window is at most {@code maxWindow} long and cut into at most {@code
 * maxPoints} steps, so one request asks the store for bounded work. Without {@code step}, the
 * smallest whole number of minutes that gives at most {@value #DEFAULT_POINTS} points.
 */
public final class MetricsRequestParser {

  public static final String STEP = "step";
  public static final String OPERATION = "operation";
  public static final String SPAN_KIND = "spanKind";

  /** Points a window is cut into when the caller names no step. */
  static final int DEFAULT_POINTS = 120;

  private static final Set<String> DEPENDENCIES =
      Set.of(QueryParameters.START, QueryParameters.END);
  private static final Set<String> SERVICE_METRICS =
      Set.of(QueryParameters.START, QueryParameters.END, STEP, OPERATION, SPAN_KIND);
  private static final String WHY = "the longest span-metric window";

  private final Clock clock;
  private final Duration defaultLookback;
  private final Duration maxWindow;
  private final int maxPoints;

  public MetricsRequestParser(
      Clock clock, Duration defaultLookback, Duration maxWindow, int maxPoints) {
    if (defaultLookback.compareTo(maxWindow) > 0 || defaultLookback.toMinutes() < 1) {
      throw new IllegalArgumentException(
          "default lookback must be at least a minute and at most the maximum window");
    }
    if (maxPoints < 1) {
      throw new IllegalArgumentException("max points must be positive");
    }
    this.clock = clock;
    this.defaultLookback = defaultLookback;
    this.maxWindow = maxWindow;
    this.maxPoints = maxPoints;
  }

  /** The window of {@code GET /api/v1/dependencies}. */
  public QueryParameters.Window dependencies(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), DEPENDENCIES);
    return minutes(QueryParameters.window(parameters, clock, defaultLookback, maxWindow, WHY));
  }

  /** The query of {@code GET /api/v1/services/{service}/metrics}. */
  public MetricsQuery serviceMetrics(String service, Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), SERVICE_METRICS);
    String name = Names.service("service", service);
    Optional<String> operation =
        QueryParameters.single(parameters, OPERATION).map(v -> Names.operation(OPERATION, v));
    Optional<SpanKind> kind =
        QueryParameters.single(parameters, SPAN_KIND).map(MetricsRequestParser::spanKind);
    QueryParameters.Window window =
        minutes(QueryParameters.window(parameters, clock, defaultLookback, maxWindow, WHY));
    long windowMinutes = window.length().toMinutes();
    Duration step =
        QueryParameters.single(parameters, STEP)
            .map(v -> step(v, windowMinutes))
            .orElseGet(
                () -> Duration.ofMinutes(Math.max(1, ceilDiv(windowMinutes, DEFAULT_POINTS))));
    return new MetricsQuery(name, operation, kind, window.start(), window.end(), step);
  }

  private Duration step(String text, long windowMinutes) {
    Duration step = DurationParser.parse(STEP, text);
    if (step.toNanos() % Minutes.NANOS != 0 || step.isZero()) {
      throw new InvalidParameterException(
          STEP, "must be a whole number of minutes (1m, 5m, 1h): metrics are kept per minute");
    }
    if (ceilDiv(windowMinutes, step.toMinutes()) > maxPoints) {
      throw new InvalidParameterException(
          STEP,
          "the window would have more than "
              + maxPoints
              + " points; take a step of at least "
              + ceilDiv(windowMinutes, maxPoints)
              + "m");
    }
    return step;
  }

  /** {@code server}, {@code SERVER} or {@code SPAN_KIND_SERVER}, and so on for every kind. */
  public static SpanKind spanKind(String text) {
    String name = text.toUpperCase(Locale.ROOT);
    String bare = name.startsWith("SPAN_KIND_") ? name.substring("SPAN_KIND_".length()) : name;
    for (SpanKind kind : SpanKind.values()) {
      if (kind.name().equals(bare)) {
        return kind;
      }
    }
    throw new InvalidParameterException(
        SPAN_KIND, "must be one of server, client, producer, consumer, internal, unspecified");
  }

  /** Start rounded down, end up, to whole minutes. */
  private static QueryParameters.Window minutes(QueryParameters.Window window) {
    Instant start = Instant.ofEpochSecond(Math.floorDiv(window.start().getEpochSecond(), 60) * 60);
    Instant end = window.end();
    long endSecond = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    Instant roundedEnd = Instant.ofEpochSecond(ceilDiv(endSecond, 60) * 60);
    return new QueryParameters.Window(start, roundedEnd);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
