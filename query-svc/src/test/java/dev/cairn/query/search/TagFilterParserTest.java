package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.store.TraceQuery.TagFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagFilterParserTest {

  @Test
  void splitsAtTheFirstColon() {
    assertThat(TagFilterParser.parse("http.url:https://shop.example/a:b"))
        .isEqualTo(new TagFilter("http.url", "https://shop.example/a:b"));
  }

  @Test
  void acceptsAnEmptyValue() {
    assertThat(TagFilterParser.parse("user.id:")).isEqualTo(new TagFilter("user.id", ""));
  }

  @Test
  void valuesAreFreeText() {
    assertThat(TagFilterParser.parse("db.statement:SELECT * FROM t WHERE a='b'").value())
        .isEqualTo("SELECT * FROM t WHERE a='b'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "no-colon",
        ":value",
        "http.method' OR '1'='1:GET",
        "key with space:v",
        "k;DROP TABLE spans--:v",
        "k:v\u0000",
        "k:line\nbreak"
      })
  void refusesMalformedFilters(String text) {
    assertThatThrownBy(() -> TagFilterParser.parse(text))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("tag"));
  }

  @Test
  void boundsKeyAndValueLength() {
    String longKey = "k".repeat(ParameterLimits.MAX_TAG_KEY_LENGTH + 1);
    assertThatThrownBy(() -> TagFilterParser.parse(longKey + ":v"))
        .isInstanceOf(InvalidParameterException.class);
    String longValue = "v".repeat(ParameterLimits.MAX_TAG_VALUE_LENGTH + 1);
    assertThatThrownBy(() -> TagFilterParser.parse("k:" + longValue))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(TagFilterParser.parse("k:" + longValue.substring(1)).value())
        .hasSize(ParameterLimits.MAX_TAG_VALUE_LENGTH);
  }
}
