package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.TraceId;
import dev.cairn.query.InvalidParameterException;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQuery.TagFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchRequestParserTest {

  private static final Instant NOW = Instant.parse("2026-11-25T18:00:00Z");
  private final SearchRequestParser parser =
      new SearchRequestParser(
          Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1), 20, Duration.ofDays(30));

  @Test
  void defaultsToTheLastHourAndTwentyResults() {
    TraceQuery query = parser.parse(Map.of());

    assertThat(query.end()).isEqualTo(NOW);
    assertThat(query.start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(query.limit()).isEqualTo(20);
    assertThat(query.service()).isEmpty();
    assertThat(query.operation()).isEmpty();
    assertThat(query.tags()).isEmpty();
    assertThat(query.minDuration()).isEmpty();
    assertThat(query.maxDuration()).isEmpty();
    assertThat(query.errorsOnly()).isFalse();
    assertThat(query.after()).isEmpty();
  }

  @Test
  void readsEveryParameter() {
    SearchCursor cursor =
        new SearchCursor(1_795_629_000_000_000_000L, new TraceId(0x1234L, 0x5678L));
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("service", List.of("checkout"));
    parameters.put("operation", List.of("POST /api/orders"));
    parameters.put("tag", List.of("http.method:POST", "http.status_code:500"));
    parameters.put("minDuration", List.of("150ms"));
    parameters.put("maxDuration", List.of("2s"));
    parameters.put("error", List.of("true"));
    parameters.put("start", List.of("2026-11-25T10:00:00Z"));
    parameters.put("end", List.of("1795629600000000000"));
    parameters.put("limit", List.of("1000"));
    parameters.put("cursor", List.of(cursor.encode()));

    TraceQuery query = parser.parse(parameters);

    assertThat(query.service()).contains("checkout");
    assertThat(query.operation()).contains("POST /api/orders");
    assertThat(query.tags())
        .containsExactly(
            new TagFilter("http.method", "POST"), new TagFilter("http.status_code", "500"));
    assertThat(query.minDuration()).contains(Duration.ofMillis(150));
    assertThat(query.maxDuration()).contains(Duration.ofSeconds(2));
    assertThat(query.errorsOnly()).isTrue();
    assertThat(query.start()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(query.end()).isEqualTo(Instant.ofEpochSecond(1_795_629_600L));
    assertThat(query.limit()).isEqualTo(1000);
    assertThat(query.after()).contains(cursor);
  }

  @Test
  void lookbackIsMeasuredFromAGivenEnd() {
    TraceQuery query = parser.parse(Map.of("end", List.of("2026-11-20T12:00:00Z")));

    assertThat(query.start()).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "1000000", "99999999999999999999", "-1", "1.5", "ten", ""})
  void refusesLimitsOutsideOneToAThousand(String limit) {
    assertRefused(Map.of("limit", List.of(limit)), "limit");
  }

  @Test
  void acceptsLimitBounds() {
    assertThat(parser.parse(Map.of("limit", List.of("1"))).limit()).isEqualTo(1);
    assertThat(parser.parse(Map.of("limit", List.of("1000"))).limit()).isEqualTo(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage!", "AAAA", "", "' OR 1=1 --"})
  void refusesCursorsItDidNotIssue(String cursor) {
    assertRefused(Map.of("cursor", List.of(cursor)), "cursor");
  }

  @Test
  void refusesOverlongCursors() {
    assertRefused(Map.of("cursor", List.of("A".repeat(200))), "cursor");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "yes", "TRUE", ""})
  void errorIsTrueOrFalse(String value) {
    assertRefused(Map.of("error", List.of(value)), "error");
  }

  @Test
  void refusesMinDurationAboveMaxDuration() {
    assertRefused(
        Map.of("minDuration", List.of("2s"), "maxDuration", List.of("1s")), "maxDuration");
  }

  @Test
  void refusesStartNotBeforeEnd() {
    assertRefused(
        Map.of("start", List.of("2026-11-25T10:00:00Z"), "end", List.of("2026-11-25T10:00:00Z")),
        "start");
    assertRefused(Map.of("start", List.of("2026-11-26T10:00:00Z")), "start");
  }

  @Test
  void acceptsAWindowOfExactlyTheMaximum() {
    TraceQuery query = parser.parse(Map.of("start", List.of("2026-10-26T18:00:00Z")));

    assertThat(Duration.between(query.start(), query.end())).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void refusesAWindowBeyondTheMaximumNamingTheLimit() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    Map.of(
                        "start",
                        List.of("2026-10-26T17:59:59.999999999Z"),
                        "end",
                        List.of("2026-11-25T18:00:00Z"))))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("start");
              assertThat(e.reason()).contains("at most 30 days");
            });
  }

  @Test
  void refusesADefaultLookbackLongerThanTheMaximumWindow() {
    assertThatThrownBy(
            () ->
                new SearchRequestParser(
                    Clock.systemUTC(), Duration.ofDays(31), 20, Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesLimitsInWords() {
    assertThat(QueryParameters.describe(Duration.ofDays(30))).isEqualTo("30 days");
    assertThat(QueryParameters.describe(Duration.ofHours(1))).isEqualTo("1 hour");
    assertThat(QueryParameters.describe(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    assertThat(QueryParameters.describe(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
  }

  @Test
  void boundsTheNumberOfTags() {
    List<String> tags = Collections.nCopies(ParameterLimits.MAX_TAGS, "k:v");
    assertThat(parser.parse(Map.of("tag", tags)).tags()).hasSize(ParameterLimits.MAX_TAGS);

    List<String> tooMany = Collections.nCopies(ParameterLimits.MAX_TAGS + 1, "k:v");
    assertRefused(Map.of("tag", tooMany), "tag");
  }

  @Test
  void refusesUnknownParameters() {
    assertRefused(Map.of("servce", List.of("checkout")), "servce");
  }

  @Test
  void unknownParameterNamesAreEchoedSafely() {
    assertThatThrownBy(() -> parser.parse(Map.of("a\u0000" + "b".repeat(500), List.of("x"))))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.parameter()).doesNotContain("\u0000").hasSizeLessThan(80);
            });
  }

  @Test
  void refusesRepeatedSingleValuedParameters() {
    assertRefused(Map.of("service", List.of("a", "b")), "service");
    assertRefused(Map.of("limit", List.of("10", "20")), "limit");
  }

  @Test
  void refusesHostileValues() {
    assertRefused(Map.of("service", List.of("x'; DROP TABLE spans; --")), "service");
    assertRefused(Map.of("tag", List.of("a' OR 1=1--:b")), "tag");
    assertRefused(Map.of("minDuration", List.of("150")), "minDuration");
    assertRefused(Map.of("operation", List.of("o".repeat(10_000))), "operation");
  }

  @Test
  void emptyValueListsCountAsAbsent() {
    assertThat(parser.parse(Map.of("service", List.of())).service()).isEqualTo(Optional.empty());
  }

  private void assertRefused(Map<String, List<String>> parameters, String parameter) {
    assertThatThrownBy(() -> parser.parse(parameters))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter));
  }
}
