package dev.cairn.query.transport.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.store.TraceQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaegerRequestParserTest {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private final JaegerRequestParser parser =
      new JaegerRequestParser(
          CLOCK,
          new SearchRequestParser(CLOCK, Duration.ofHours(1), 20, Duration.ofDays(30)),
          new MetricsRequestParser(CLOCK, Duration.ofHours(1), Duration.ofDays(30), 1440));

  @Test
  void searchTakesStartAndEndInMicrosecondsAndGoDurations() {
    TraceQuery query =
        search(
            "service", "frontend",
            "operation", "GET /cart",
            "start", "1764676800000000",
            "end", "1764680400000001",
            "minDuration", "1.2s",
            "maxDuration", "1m30s",
            "limit", "7");

    assertThat(query.service()).contains("frontend");
    assertThat(query.operation()).contains("GET /cart");
    assertThat(query.start()).isEqualTo(Instant.ofEpochSecond(1_764_676_800L));
    assertThat(query.end()).isEqualTo(Instant.ofEpochSecond(1_764_680_400L, 1_000));
    assertThat(query.minDuration()).contains(Duration.ofMillis(1200));
    assertThat(query.maxDuration()).contains(Duration.ofSeconds(90));
    assertThat(query.limit()).isEqualTo(7);
  }

  @Test
  void tagsAsAJsonObjectAndTagAsKeyValueAreAndedAndErrorTrueAsksForFailedSpans() {
    TraceQuery query =
        search(
            "tags", "{\"http.route\":\"/cart\",\"error\":\"true\"}",
            "tag", "http.url:https://shop:8443/x");

    assertThat(query.tags())
        .containsExactlyInAnyOrder(
            new TraceQuery.TagFilter("http.route", "/cart"),
            new TraceQuery.TagFilter("http.url", "https://shop:8443/x"));
    assertThat(query.errorsOnly()).isTrue();
  }

  @Test
  void lookbackSetsTheStartWhenNoneIsGivenAndCustomLeavesTheDefault() {
    assertThat(search("lookback", "1h").start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(search("lookback", "2d").start()).isEqualTo(NOW.minus(Duration.ofDays(2)));
    assertThat(search("lookback", "1w").start()).isEqualTo(NOW.minus(Duration.ofDays(7)));
    assertThat(search("lookback", "custom").start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    // Grafana sends start, end and lookback=custom; the UI sends lookback with start and end.
    assertThat(search("lookback", "2d", "start", "1796202000000000").start())
        .isEqualTo(NOW.minus(Duration.ofHours(3)));
  }

  @Test
  void emptyValuesCountAsAbsentAsInJaeger() {
    TraceQuery query = search("service", "frontend", "minDuration", "", "operation", "");
    assertThat(query.minDuration()).isEmpty();
    assertThat(query.operation()).isEmpty();
  }

  @Test
  void searchByTraceIdsPadsShortIdsAndIgnoresTheFilters() {
    JaegerRequestParser.SearchRequest request =
        parser.search(
            Map.of(
                "traceID", List.of("1f", "4bf92f3577b34da6a3ce929d0e0e4736"),
                "raw", List.of("true")));

    assertThat(request.query()).isEmpty();
    assertThat(request.raw()).isTrue();
    assertThat(request.traceIds())
        .containsExactly(new TraceId(0, 0x1f), TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"));
  }

  @Test
  void hostileOrMalformedSearchParametersAreRefusedNamingTheParameter() {
    assertRefused("start", "start", "1.5e12");
    assertRefused("start", "start", "99999999999999999");
    assertRefused("minDuration", "minDuration", "100");
    assertRefused("tags", "tags", "{\"k\":1}");
    assertRefused("tags", "tags", "[\"k\"]");
    assertRefused("tags", "tags", "{not json");
    assertRefused("tag", "tag", "no-colon");
    assertRefused("service", "service", "x'; DROP TABLE spans;--");
    assertRefused("limit", "limit", "100000");
    assertRefused("lookback", "lookback", "forever");
    assertRefused("traceID", "traceID", "zz");
    assertRefused("traceID", "traceID", "0");
    assertRefused("raw", "raw", "yes");
    assertRefused("sql", "sql", "1");
    assertThatThrownBy(
            () -> parser.search(Map.of("start", List.of("2000000"), "end", List.of("1000000"))))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void traceByIdAcceptsJaegersIdsAndRaw() {
    JaegerRequestParser.TraceRequest request =
        parser.trace("00000000000000ff", Map.of("raw", List.of("1")));
    assertThat(request.traceId()).isEqualTo(new TraceId(0, 0xff));
    assertThat(request.raw()).isTrue();
    assertThat(parser.trace("ff", Map.of()).raw()).isFalse();
    assertThatThrownBy(() -> parser.trace("a".repeat(33), Map.of()))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void operationsNeedAServiceAndTakeJaegersSpanKinds() {
    assertThat(parser.operations(params("service", "shop", "spanKind", "server")).kind())
        .contains(SpanKind.SERVER);
    assertThat(parser.operations(params("service", "shop", "spanKind", "")).kind()).isEmpty();
    assertThatThrownBy(() -> parser.operations(params("spanKind", "server")))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("service"));
    assertThatThrownBy(() -> parser.operations(params("service", "shop", "spanKind", "sideways")))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("spanKind"));
  }

  @Test
  void dependenciesTakeMillisecondsAndDefaultToADayRoundedToMinutes() {
    JaegerRequestParser.DependenciesRequest byDefault = parser.dependencies(Map.of());
    assertThat(byDefault.window().end()).isEqualTo(NOW);
    assertThat(byDefault.window().start()).isEqualTo(NOW.minus(Duration.ofDays(1)));

    JaegerRequestParser.DependenciesRequest request =
        parser.dependencies(
            params("endTs", "1764676830500", "lookback", "3600000", "service", "shop"));
    assertThat(request.window().end()).isEqualTo(Instant.parse("2025-12-02T12:01:00Z"));
    assertThat(request.window().start()).isEqualTo(Instant.parse("2025-12-02T11:00:00Z"));
    assertThat(request.service()).contains("shop");

    assertThatThrownBy(() -> parser.dependencies(params("lookback", "1h")))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("lookback"));
    assertThatThrownBy(() -> parser.dependencies(params("lookback", "0")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> parser.dependencies(params("lookback", "" + 365L * 86_400_000)))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("lookback"));
    assertThatThrownBy(() -> parser.dependencies(params("endTs", "-5")))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("endTs"));
  }

  private TraceQuery search(String... pairs) {
    return parser.search(params(pairs)).query().orElseThrow();
  }

  private void assertRefused(String parameter, String name, String value) {
    assertThatThrownBy(() -> parser.search(params(name, value)))
        .as(name + "=" + value)
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter));
  }

  private static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }
}
