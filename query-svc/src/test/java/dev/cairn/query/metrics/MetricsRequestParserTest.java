package dev.cairn.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.SpanKind;
import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.store.MetricsQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRequestParserTest {

  private static final Instant NOW = Instant.parse("2026-11-25T18:00:30.5Z");
  private final MetricsRequestParser parser =
      new MetricsRequestParser(
          Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1), Duration.ofDays(30), 1440);

  @Test
  void defaultsToTheLastHourRoundedOutToMinutesInAtMost120Steps() {
    MetricsQuery query = parser.serviceMetrics("checkout", Map.of());

    assertThat(query.start()).isEqualTo(Instant.parse("2026-11-25T17:00:00Z"));
    assertThat(query.end()).isEqualTo(Instant.parse("2026-11-25T18:01:00Z"));
    assertThat(query.step()).isEqualTo(Duration.ofMinutes(1));
    assertThat(query.operation()).isEmpty();
    assertThat(query.kind()).isEmpty();

    MetricsQuery day =
        parser.serviceMetrics(
            "checkout",
            Map.of(
                "start", List.of("2026-11-24T18:00:00Z"), "end", List.of("2026-11-25T18:00:00Z")));
    assertThat(day.step()).isEqualTo(Duration.ofMinutes(12));
  }

  @Test
  void readsStepOperationAndKind() {
    MetricsQuery query =
        parser.serviceMetrics(
            "checkout",
            Map.of(
                "step", List.of("5m"),
                "operation", List.of("POST /api/orders"),
                "spanKind", List.of("SPAN_KIND_SERVER")));
    assertThat(query.step()).isEqualTo(Duration.ofMinutes(5));
    assertThat(query.operation()).contains("POST /api/orders");
    assertThat(query.kind()).contains(SpanKind.SERVER);
    assertThat(parser.serviceMetrics("checkout", Map.of("spanKind", List.of("client"))).kind())
        .contains(SpanKind.CLIENT);
  }

  @Test
  void refusesStepsThatAreNotWholeMinutesOrMakeTooManyPoints() {
    expect(() -> parser.serviceMetrics("s", Map.of("step", List.of("90s"))), "step");
    expect(() -> parser.serviceMetrics("s", Map.of("step", List.of("0"))), "step");
    expect(() -> parser.serviceMetrics("s", Map.of("step", List.of("60"))), "step");
    expect(
        () ->
            parser.serviceMetrics(
                "s",
                Map.of(
                    "start", List.of("2026-11-01T00:00:00Z"),
                    "end", List.of("2026-11-25T00:00:00Z"),
                    "step", List.of("1m"))),
        "step");
  }

  @Test
  void refusesLongWindowsUnknownParametersAndBadNames() {
    expect(
        () ->
            parser.dependencies(
                Map.of(
                    "start",
                    List.of("2026-01-01T00:00:00Z"),
                    "end",
                    List.of("2026-11-25T00:00:00Z"))),
        "start");
    expect(() -> parser.dependencies(Map.of("service", List.of("x"))), "service");
    expect(() -> parser.serviceMetrics("x' OR '1'='1", Map.of()), "service");
    expect(() -> parser.serviceMetrics("s", Map.of("spanKind", List.of("sideways"))), "spanKind");
    expect(() -> parser.serviceMetrics("s", Map.of("step", List.of("1m", "2m"))), "step");
  }

  @Test
  void dependenciesWindowIsRoundedOutToMinutes() {
    QueryParameters.Window window =
        parser.dependencies(
            Map.of(
                "start", List.of("2026-11-25T10:00:10Z"), "end", List.of("2026-11-25T10:05:00Z")));
    assertThat(window.start()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(window.end()).isEqualTo(Instant.parse("2026-11-25T10:05:00Z"));
  }

  private static void expect(Runnable call, String parameter) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter));
  }
}
