package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Span;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Terms already stored must keep matching the terms a query asks for: the hash and the set of terms
 * of a segment equal those of the plain definition (FNV-1a over the UTF-8 bytes, the union over
 * spans) that the V6 writer used.
 */
class SearchTermsTest {

  /** The V6 definition, kept here as the reference. */
  private static int referenceHash(char kind, String a, String b) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ ((byte) kind & 0xff)) * 0x100000001b3L;
    for (byte x : a.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (x & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0) * 0x100000001b3L;
    for (byte x : b.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (x & 0xff)) * 0x100000001b3L;
    }
    return (int) (h ^ (h >>> 32));
  }

  private static Integer[] referenceTerms(List<Span> spans) {
    TreeSet<Integer> terms = new TreeSet<>();
    for (Span span : spans) {
      terms.add(referenceHash('s', span.serviceName(), ""));
      terms.add(referenceHash('o', span.serviceName(), span.name()));
      for (long ms : new long[] {100, 300, 1_000, 3_000, 10_000, 30_000}) {
        if (span.durationNanos() >= ms * 1_000_000L) {
          terms.add(referenceHash('d', span.serviceName(), Long.toString(ms)));
        }
      }
      AttributeJson.scalarTexts(span.attributes())
          .forEach((k, v) -> terms.add(referenceHash('t', k, v)));
      AttributeJson.scalarTexts(span.resource().attributes())
          .forEach((k, v) -> terms.add(referenceHash('t', k, v)));
    }
    return terms.toArray(Integer[]::new);
  }

  @Test
  void hashIsFnv1aOfTheUtf8BytesWhateverTheCharacters() {
    List<String> texts =
        List.of(
            "",
            "http.route",
            "/api/v1/orders/42",
            "café",
            "a€b",
            "日本語のタグ",
            "emoji \uD83D\uDE00 here",
            "lone \uD800 surrogate",
            "x\uDC00",
            "mixed ascii then ü then ascii");
    for (String a : texts) {
      for (String b : texts) {
        assertThat(SearchTerms.hash('t', a, b))
            .as(a + " / " + b)
            .isEqualTo(referenceHash('t', a, b));
      }
    }
  }

  @Test
  void aSegmentsTermsAreTheSortedUnionOverItsSpansAndTheirResources() {
    List<Span> spans = new ArrayList<>(SegmentCodecTest.traces(1, 6).get(0));
    Span first = spans.get(0);
    spans.add(
        withAttributes(
            first,
            List.of(
                Attribute.of("tenant", "ü-7"),
                Attribute.of("tenant", "second value of a key is no term"),
                Attribute.of("items", 3),
                new Attribute("ok", new AttributeValue.BoolValue(true)))));
    spans.add(
        withAttributes(
            SegmentCodecTest.traces(1, 1).get(0).get(0), List.of(Attribute.of("k", "v"))));
    for (long millis : new long[] {99, 100, 2_999, 45_000}) {
      spans.add(
          span(
              first.traceId(),
              randomSpanId(),
              Optional.empty(),
              "slow-" + millis,
              "op",
              first.startTimeUnixNano(),
              millis * 1_000_000L));
    }
    Integer[] terms = SearchTerms.of(spans);
    assertThat(terms).containsExactly(referenceTerms(spans));
    assertThat(terms)
        .doesNotContain(referenceHash('t', "tenant", "second value of a key is no term"))
        .doesNotContain(referenceHash('d', "slow-99", "100"))
        .contains(referenceHash('d', "slow-100", "100"))
        .contains(referenceHash('d', "slow-2999", "1000"))
        .doesNotContain(referenceHash('d', "slow-2999", "3000"))
        .contains(referenceHash('d', "slow-45000", "30000"));
    assertThat(SearchTerms.of(List.of(spans.get(0))))
        .containsExactly(referenceTerms(List.of(spans.get(0))));
  }

  @Test
  void aSearchRequiresNoStopTermAndTheServiceStandsInForAStopOperation() {
    TraceQuery query =
        TraceQueryBuilder.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(60))
            .service("pay")
            .operation("GET /")
            .tag("http.method", "GET")
            .tag("card", "visa")
            .build();
    int operation = SearchTerms.hash('o', "pay", "GET /");
    int service = SearchTerms.hash('s', "pay", "");
    int method = SearchTerms.hash('t', "http.method", "GET");
    int card = SearchTerms.hash('t', "card", "visa");

    assertThat(SearchTerms.required(query, StopTerms.NONE))
        .containsExactlyInAnyOrder(operation, method, card);
    assertThat(SearchTerms.required(query, StopTerms.of(operation, method)))
        .containsExactlyInAnyOrder(service, card);
    assertThat(SearchTerms.required(query, StopTerms.of(operation, service, method, card)))
        .isEmpty();
  }

  @Test
  void aMinimumDurationOfAServiceRequiresItsHighestThresholdAtOrBelowIt() {
    TraceQueryBuilder pay =
        TraceQueryBuilder.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(60)).service("pay");
    int service = SearchTerms.hash('s', "pay", "");
    int operation = SearchTerms.hash('o', "pay", "GET /");
    int atLeast300 = SearchTerms.hash('d', "pay", "300");

    TraceQuery slow = pay.durations(Duration.ofMillis(500), null).build();
    assertThat(SearchTerms.required(slow, StopTerms.NONE)).containsExactly(service);
    assertThat(SearchTerms.requiredWithDuration(slow, StopTerms.NONE)).containsExactly(atLeast300);
    assertThat(SearchTerms.requiredWithDuration(slow, StopTerms.of(atLeast300)))
        .as("a stop term: the service stands in")
        .containsExactly(service);
    assertThat(
            SearchTerms.requiredWithDuration(
                TraceQueryBuilder.from(slow).operation("GET /").build(), StopTerms.NONE))
        .containsExactlyInAnyOrder(operation, atLeast300);
    assertThat(
            SearchTerms.requiredWithDuration(
                pay.durations(Duration.ofMillis(99), null).build(), StopTerms.NONE))
        .as("below the first threshold")
        .containsExactly(service);
    assertThat(
            SearchTerms.requiredWithDuration(
                TraceQueryBuilder.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(60))
                    .durations(Duration.ofSeconds(5), null)
                    .build(),
                StopTerms.NONE))
        .as("thresholds are per service")
        .isEmpty();
  }
}
