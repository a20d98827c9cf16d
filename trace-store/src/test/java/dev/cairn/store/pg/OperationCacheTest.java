package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.model.Span;
import dev.cairn.store.StoreTestSpans;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OperationCacheTest {

  private static final long DAY = 86_400_000_000_000L;
  private static final long DAY_1 = 19_113; // 2022-05-01

  @Test
  void operationsAreUnknownUntilAddedOncePerDayAndSorted() {
    OperationCache cache = new OperationCache(100);
    List<Span> batch =
        List.of(
            span("checkout", "POST /pay", DAY_1),
            span("cart", "GET /cart", DAY_1),
            span("checkout", "POST /pay", DAY_1), // a repeat
            span("checkout", "POST /pay", DAY_1 + 1)); // the same operation on the next day
    TreeSet<OperationCache.Key> unknown = cache.unknownOf(batch);
    assertThat(unknown)
        .extracting(
            OperationCache.Key::service, OperationCache.Key::name, OperationCache.Key::epochDay)
        .containsExactly(
            tuple("cart", "GET /cart", DAY_1),
            tuple("checkout", "POST /pay", DAY_1),
            tuple("checkout", "POST /pay", DAY_1 + 1));
    // not added (the transaction did not commit): still unknown
    assertThat(cache.unknownOf(batch)).hasSize(3);
    cache.addAll(unknown);
    assertThat(cache.unknownOf(batch)).isEmpty();
    assertThat(cache.unknownOf(List.of(span("checkout", "POST /refund", DAY_1))))
        .extracting(OperationCache.Key::name)
        .containsExactly("POST /refund");
  }

  @Test
  void aNameWithNulIsKnownAsTheCatalogStoresIt() {
    OperationCache cache = new OperationCache(100);
    List<Span> batch = List.of(span("checkout", "GET\0/x", DAY_1));
    TreeSet<OperationCache.Key> unknown = cache.unknownOf(batch);
    assertThat(unknown).extracting(OperationCache.Key::name).containsExactly("GET\uFFFD/x");
    cache.addAll(unknown);
    assertThat(cache.unknownOf(batch)).isEmpty();
    assertThat(cache.unknownOf(List.of(span("checkout", "GET\uFFFD/x", DAY_1)))).isEmpty();
  }

  @Test
  void pastItsSizeTheOldestDaysAreForgottenFirst() {
    OperationCache cache = new OperationCache(2);
    List<Span> first = List.of(span("a", "x", DAY_1));
    List<Span> second = List.of(span("a", "x", DAY_1 + 1), span("a", "y", DAY_1 + 1));
    cache.addAll(cache.unknownOf(first));
    cache.addAll(cache.unknownOf(second));
    assertThat(cache.unknownOf(first)).hasSize(1);
    assertThat(cache.unknownOf(second)).isEmpty();
  }

  private static Span span(String service, String name, long epochDay) {
    return StoreTestSpans.span(
        randomTraceId(),
        randomSpanId(),
        Optional.empty(),
        service,
        name,
        epochDay * DAY + 5,
        1_000);
  }
}
