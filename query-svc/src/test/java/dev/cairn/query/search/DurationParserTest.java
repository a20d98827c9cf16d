package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.query.InvalidParameterException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1ns, 1",
    "20us, 20000",
    "20µs, 20000",
    "150ms, 150000000",
    "1.2s, 1200000000",
    "0.5ms, 500000",
    "2m, 120000000000",
    "1h, 3600000000000",
    "1m30s, 90000000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "1.5ns, 1"
  })
  void acceptsGoDurations(String text, long nanos) {
    assertThat(DurationParser.parse("minDuration", text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "150",
        "1.2",
        "-1s",
        "+1s",
        "1 s",
        "1S",
        "1sec",
        "ms",
        "1.s",
        ".5s",
        "1s;DROP TABLE spans",
        "1e3ms",
        "0x10ms",
        "PT1S"
      })
  void refusesEverythingElse(String text) {
    assertThatThrownBy(() -> DurationParser.parse("minDuration", text))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> assertThat(e.parameter()).isEqualTo("minDuration"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9999999999999h", "2562048h", "9223372036854775808ns"})
  void refusesDurationsBeyondSigned64BitNanos(String text) {
    assertThatThrownBy(() -> DurationParser.parse("maxDuration", text))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("too large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2562047h", "9223372036854775807ns"})
  void acceptsTheLargestRepresentableDurations(String text) {
    assertThat(DurationParser.parse("maxDuration", text).toNanos()).isPositive();
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongInputBeforeParsingIt() {
    assertThatThrownBy(() -> DurationParser.parse("minDuration", "1s".repeat(40)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("too long");
  }
}
