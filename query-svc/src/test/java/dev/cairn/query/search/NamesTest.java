package dev.cairn.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.query.InvalidParameterException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "frontend",
        "unknown_service:java",
        "shop.checkout-v2",
        "payments/eu-west-1",
        "billing@prod",
        "Zahlungsdienst äöü",
        "a+b"
      })
  void acceptsServiceNames(String name) {
    assertThat(Names.service("service", name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x' OR '1'='1",
        "frontend; DROP TABLE spans",
        "frontend\"",
        "a\u0000b",
        "a\nb",
        "svc=1",
        "svc*"
      })
  void refusesServiceNamesOutsideTheCharacterSet(String name) {
    assertThatThrownBy(() -> Names.service("service", name))
        .isInstanceOf(InvalidParameterException.class);
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongServiceNames() {
    assertThat(Names.service("service", "s".repeat(ParameterLimits.MAX_SERVICE_LENGTH)))
        .hasSize(ParameterLimits.MAX_SERVICE_LENGTH);
    assertThatThrownBy(
            () -> Names.service("service", "s".repeat(ParameterLimits.MAX_SERVICE_LENGTH + 1)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("longer than");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /api/orders/{id}", "SELECT shop.orders", "it's \"quoted\"; fine"})
  void operationsAreFreeText(String name) {
    assertThat(Names.operation("operation", name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "GET\u0000", "line\r\nbreak", "tab\there"})
  void refusesEmptyOperationsAndControlCharacters(String name) {
    assertThatThrownBy(() -> Names.operation("operation", name))
        .isInstanceOf(InvalidParameterException.class);
  }
}
