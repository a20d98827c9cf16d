package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.TraceId;
import dev.cairn.query.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdParserTest {

  @Test
  void readsHexInEitherCase() {
    TraceId expected = new TraceId(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L);
    assertThat(TraceIdParser.parse("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"))
        .isEqualTo(expected);
    assertThat(TraceIdParser.parse("traceId", "4BF92F3577B34DA6A3CE929D0E0E4736"))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "4bf92f3577b34da6",
        "4bf92f3577b34da6a3ce929d0e0e47361",
        "4bf92f3577b34da6a3ce929d0e0e473g",
        "00000000000000000000000000000000",
        "' OR 1=1 --",
        "-bf92f3577b34da6a3ce929d0e0e4736"
      })
  void refusesMalformedIds(String text) {
    assertThatThrownBy(() -> TraceIdParser.parse("traceId", text))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("traceId"));
  }
}
