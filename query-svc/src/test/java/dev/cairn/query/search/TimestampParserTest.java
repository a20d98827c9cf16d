package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.query.InvalidParameterException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {

  @Test
  void readsRfc3339InUtc() {
    assertThat(TimestampParser.parse("start", "2026-11-25T18:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
  }

  @Test
  void readsRfc3339WithOffsetAndFraction() {
    assertThat(TimestampParser.parse("start", "2026-11-25T19:00:00.123456789+01:00"))
        .isEqualTo(Instant.parse("2026-11-25T18:00:00.123456789Z"));
  }

  @Test
  void readsUnixNanoseconds() {
    assertThat(TimestampParser.parse("end", "1795629600123456789"))
        .isEqualTo(Instant.ofEpochSecond(1_795_629_600L, 123_456_789L));
  }

  @Test
  void readsTheLargestUnixNanoseconds() {
    assertThat(TimestampParser.parse("end", Long.toString(Long.MAX_VALUE)))
        .isEqualTo(TimestampParser.LATEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "2026-11-25",
        "2026-11-25T18:00:00",
        "2026-11-25 18:00:00Z",
        "-1",
        "1.5",
        "9223372036854775808",
        "99999999999999999999",
        "1969-12-31T23:59:59Z",
        "2300-01-01T00:00:00Z",
        "2026-11-25T18:00:00Z' OR '1'='1"
      })
  void refusesEverythingElse(String text) {
    assertThatThrownBy(() -> TimestampParser.parse("start", text))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("start"));
  }
}
