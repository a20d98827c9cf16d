package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static dev.cairn.store.StoreTestSpans.withResource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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

  private static int[] referenceTerms(List<Span> spans) {
    TreeSet<Integer> terms = new TreeSet<>();
    for (Span span : spans) {
      terms.add(referenceHash('s', span.serviceName(), ""));
      terms.add(referenceHash('o', span.serviceName(), span.name()));
      for (long ms : new long[] {100, 300, 1_000, 3_000, 10_000, 30_000}) {
        if (span.durationNanos() >= ms * 1_000_000L) {
          terms.add(referenceHash('d', span.serviceName(), Long.toString(ms)));
        }
      }
      referenceTags(span.attributes()).forEach((k, v) -> terms.add(referenceHash('t', k, v)));
      referenceTags(span.resource().attributes())
          .forEach((k, v) -> terms.add(referenceHash('t', k, v)));
    }
    return terms.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The tags as tag search compares them: a key's first scalar value as its text, U+0000 as U+FFFD;
   * no key holding U+0000.
   */
  private static Map<String, String> referenceTags(List<Attribute> attributes) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Attribute attribute : attributes) {
      String text = AttributeJson.tagText(attribute.value());
      if (text != null && attribute.key().indexOf('\0') < 0) {
        tags.putIfAbsent(attribute.key(), text.replace('\0', '\uFFFD'));
      }
    }
    return tags;
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
    int[] terms = SearchTerms.of(spans);
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

  /**
   * The writer hashes a tag's value without building its text (a number's digits, a string's U+0000
   * as U+FFFD): its terms must be those of the texts tag search compares.
   */
  @Test
  void tagTermsHashedFromTheValuesEqualThoseOfTheirTagText() {
    Random random = new Random(20261207);
    Span template = SegmentCodecTest.traces(1, 1).get(0).get(0);
    List<Span> edges =
        List.of(
            withResource(
                withAttributes(
                    template,
                    List.of(
                        new Attribute("k", new AttributeValue.ArrayValue(List.of(text("a")))),
                        new Attribute("k", new AttributeValue.IntValue(Long.MIN_VALUE)),
                        new Attribute("k", new AttributeValue.IntValue(7)),
                        new Attribute("n\0ul", text("x")),
                        new Attribute("nul", text("é\0x\0")))),
                new Resource(
                    List.of(
                        new Attribute("r", new AttributeValue.Empty()),
                        new Attribute("r", new AttributeValue.DoubleValue(-0.0))),
                    0,
                    "")));
    assertThat(SearchTerms.of(edges)).containsExactly(referenceTerms(edges));
    for (int segment = 0; segment < 3_000; segment++) {
      List<Span> spans = new ArrayList<>();
      // now and then a segment of hundreds of terms, sorted otherwise than a few dozen
      for (int i = segment % 50 == 0 ? 60 : random.nextInt(5); i >= 0; i--) {
        Span span =
            span(
                template.traceId(),
                randomSpanId(),
                Optional.empty(),
                "svc",
                randomText(random),
                template.startTimeUnixNano(),
                random.nextInt(40_000) * 1_000_000L);
        List<Attribute> resource = randomAttributes(random);
        if (random.nextBoolean()) {
          resource.add(Attribute.of(Resource.SERVICE_NAME, randomText(random)));
        }
        spans.add(
            withResource(
                withAttributes(span, randomAttributes(random)), new Resource(resource, 0, "")));
      }
      for (Span span : spans) {
        assertThat(AttributeJson.scalarTexts(span.attributes()))
            .isEqualTo(referenceTags(span.attributes()));
      }
      assertThat(SearchTerms.of(spans)).as("%s", spans).containsExactly(referenceTerms(spans));
    }
  }

  private static final String[] KEYS = {"k", "r", "http.status", "", "ü", "\uD83D\uDE00", "a\0b"};

  private static final long[] LONGS = {
    0,
    1,
    -1,
    9,
    10,
    -9,
    -10,
    99,
    100,
    -100,
    999_999_999_999_999_999L,
    1_000_000_000_000_000_000L,
    -1_000_000_000_000_000_000L,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Long.MIN_VALUE + 1
  };

  private static final double[] DOUBLES = {
    0.0,
    -0.0,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    1e21,
    1e-7,
    0.1,
    100.0,
    -2.5
  };

  /** ASCII, U+0000, two- and three-byte characters, and the halves of an emoji's surrogate pair. */
  private static final char[] CHARS = {'a', 'Z', '0', ' ', '\0', 'é', '€', '日', '\uD83D', '\uDE00'};

  private static List<Attribute> randomAttributes(Random random) {
    List<Attribute> attributes = new ArrayList<>();
    for (int i = random.nextInt(8); i > 0; i--) {
      String key = random.nextInt(4) == 0 ? randomText(random) : KEYS[random.nextInt(KEYS.length)];
      attributes.add(new Attribute(key, randomValue(random)));
    }
    return attributes;
  }

  private static AttributeValue randomValue(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> new AttributeValue.IntValue(LONGS[random.nextInt(LONGS.length)]);
      case 1 -> new AttributeValue.IntValue(random.nextLong() >> random.nextInt(64));
      case 2 -> new AttributeValue.DoubleValue(DOUBLES[random.nextInt(DOUBLES.length)]);
      case 3 -> new AttributeValue.DoubleValue(random.nextGaussian() * 1_000);
      case 4 -> new AttributeValue.BoolValue(random.nextBoolean());
      case 5 -> new AttributeValue.ArrayValue(List.of(text("x"), new AttributeValue.IntValue(1)));
      case 6 -> new AttributeValue.KeyValueList(List.of(Attribute.of("a", "b")));
      case 7 ->
          random.nextBoolean()
              ? new AttributeValue.BytesValue(new byte[] {0, 1})
              : new AttributeValue.Empty();
      default -> text(randomText(random));
    };
  }

  private static String randomText(Random random) {
    char[] text = new char[random.nextInt(9)];
    for (int i = 0; i < text.length; i++) {
      text[i] = CHARS[random.nextInt(CHARS.length)];
    }
    return new String(text);
  }

  private static AttributeValue text(String value) {
    return new AttributeValue.StringValue(value);
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
