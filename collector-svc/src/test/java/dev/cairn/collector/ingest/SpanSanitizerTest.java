package dev.cairn.collector.ingest;

import static dev.cairn.collector.OtlpFixtures.START;
import static dev.cairn.collector.OtlpFixtures.attribute;
import static dev.cairn.collector.OtlpFixtures.randomSpanId;
import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static dev.cairn.collector.OtlpFixtures.zeros;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.testing.HostileStrings;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpanSanitizerTest {

  /** The sanitizer's "now": ten minutes after the fixtures' spans start. */
  private static final long NOW = START + TimeUnit.MINUTES.toNanos(10);

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(0, NOW), ZoneOffset.UTC);

  private static final SpanTimeWindow WINDOW =
      new SpanTimeWindow(Duration.ofDays(30), Duration.ofHours(1));

  private final SpanSanitizer sanitizer =
      new SpanSanitizer(new IngestLimits(4, 10, 2, 2), WINDOW, CLOCK);

  private SanitizedBatch sanitize(Span... spans) {
    return sanitizer.sanitize(List.of(resourceSpans("checkout", List.of(spans))));
  }

  private RejectReason reasonOf(Span.Builder span) {
    return sanitizer.check(span.build(), NOW);
  }

  @Test
  void aValidBatchPassesThroughUntouched() {
    ResourceSpans input = resourceSpans("checkout", List.of(span(randomTraceId(), "a").build()));

    SanitizedBatch batch = sanitizer.sanitize(List.of(input));

    assertThat(batch.accepted()).containsExactly(input);
    assertThat(batch.accepted().get(0)).isSameAs(input);
    assertThat(batch.acceptedSpans()).isEqualTo(1);
    assertThat(batch.rejectedSpans()).isZero();
    assertThat(batch.rejectionMessage()).isEmpty();
  }

  @Test
  void traceIdMustBe16NonZeroBytes() {
    assertThat(reasonOf(span(ByteString.copyFromUtf8("short"), "a")))
        .isEqualTo(RejectReason.TRACE_ID_LENGTH);
    assertThat(reasonOf(span(ByteString.EMPTY, "a"))).isEqualTo(RejectReason.TRACE_ID_LENGTH);
    assertThat(reasonOf(span(zeros(16), "a"))).isEqualTo(RejectReason.TRACE_ID_ZERO);
  }

  @Test
  void spanIdMustBe8NonZeroBytes() {
    assertThat(reasonOf(span(randomTraceId(), "a").setSpanId(ByteString.copyFromUtf8("1234567"))))
        .isEqualTo(RejectReason.SPAN_ID_LENGTH);
    assertThat(reasonOf(span(randomTraceId(), "a").setSpanId(ByteString.EMPTY)))
        .isEqualTo(RejectReason.SPAN_ID_LENGTH);
    assertThat(reasonOf(span(randomTraceId(), "a").setSpanId(zeros(8))))
        .isEqualTo(RejectReason.SPAN_ID_ZERO);
  }

  @Test
  void parentSpanIdMustBeEmptyOr8Bytes() {
    assertThat(reasonOf(span(randomTraceId(), "a").setParentSpanId(ByteString.EMPTY))).isNull();
    assertThat(
            reasonOf(
                span(randomTraceId(), "a").setParentSpanId(ByteString.copyFromUtf8("12345678"))))
        .isNull();
    assertThat(
            reasonOf(span(randomTraceId(), "a").setParentSpanId(ByteString.copyFromUtf8("1234"))))
        .isEqualTo(RejectReason.PARENT_SPAN_ID_LENGTH);
  }

  @Test
  void endMustNotPrecedeStart() {
    Span.Builder valid = span(randomTraceId(), "a");
    assertThat(reasonOf(valid.clone().setEndTimeUnixNano(valid.getStartTimeUnixNano()))).isNull();
    assertThat(reasonOf(valid.clone().setEndTimeUnixNano(valid.getStartTimeUnixNano() - 1)))
        .isEqualTo(RejectReason.END_BEFORE_START);
    // fixed64 is unsigned: a start beyond Long.MAX_VALUE is later than any positive end.
    assertThat(reasonOf(valid.clone().setStartTimeUnixNano(-5).setEndTimeUnixNano(10)))
        .isEqualTo(RejectReason.END_BEFORE_START);
  }

  @Test
  void aSpanIsCountedUnderItsFirstBrokenRule() {
    assertThat(reasonOf(span(zeros(16), "a").setSpanId(zeros(8)).setEndTimeUnixNano(0)))
        .isEqualTo(RejectReason.TRACE_ID_ZERO);
  }

  @Test
  void invalidSpansAreRejectedWithAMessageAndTheRestIsKept() {
    Span good = span(randomTraceId(), "good").build();
    Span zeroTrace = span(zeros(16), "zero").build();
    Span backwards = span(randomTraceId(), "backwards").setEndTimeUnixNano(1).build();

    SanitizedBatch batch = sanitize(zeroTrace, good, backwards);

    assertThat(batch.acceptedSpans()).isEqualTo(1);
    assertThat(batch.accepted().get(0).getScopeSpans(0).getSpansList()).containsExactly(good);
    assertThat(batch.rejected())
        .isEqualTo(Map.of(RejectReason.TRACE_ID_ZERO, 1, RejectReason.END_BEFORE_START, 1));
    assertThat(batch.rejectedSpans()).isEqualTo(2);
    assertThat(batch.rejectionMessage())
        .isEqualTo("2 spans rejected: 1 invalid trace id (all zero), 1 end before start");
  }

  @Test
  void oneRejectedSpanIsSingular() {
    SanitizedBatch batch = sanitize(span(randomTraceId(), "a").setSpanId(zeros(8)).build());

    assertThat(batch.rejectionMessage()).isEqualTo("1 span rejected: 1 invalid span id (all zero)");
    assertThat(batch.accepted()).isEmpty();
  }

  @Test
  void resourcesAndScopesWithoutValidSpansAreDropped() {
    ResourceSpans allBad = resourceSpans("bad", List.of(span(zeros(16), "x").build()));
    ResourceSpans good = resourceSpans("good", List.of(span(randomTraceId(), "y").build()));

    SanitizedBatch batch = sanitizer.sanitize(List.of(allBad, good));

    assertThat(batch.accepted()).containsExactly(good);
  }

  @Test
  void emptyInputIsAnEmptySuccess() {
    SanitizedBatch batch = sanitizer.sanitize(List.of());

    assertThat(batch.accepted()).isEmpty();
    assertThat(batch.rejectedSpans()).isZero();
  }

  @Test
  void attributesBeyondTheLimitAreDroppedAndCounted() {
    Span.Builder input = span(randomTraceId(), "a").clearAttributes().setDroppedAttributesCount(1);
    IntStream.range(0, 7).forEach(i -> input.addAttributes(attribute("k" + i, "v")));

    Span out = onlySpan(sanitize(input.build()));

    assertThat(out.getAttributesList())
        .extracting(KeyValue::getKey)
        .containsExactly("k0", "k1", "k2", "k3");
    assertThat(out.getDroppedAttributesCount()).isEqualTo(1 + 3);
  }

  @Test
  void longValuesAreTruncatedAndCounted() {
    Span input =
        span(randomTraceId(), "a")
            .clearAttributes()
            .addAttributes(attribute("s", "0123456789abcdef"))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("b")
                    .setValue(
                        AnyValue.newBuilder()
                            .setBytesValue(ByteString.copyFromUtf8("0123456789xyz"))))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("arr")
                    .setValue(
                        AnyValue.newBuilder()
                            .setArrayValue(
                                ArrayValue.newBuilder()
                                    .addValues(AnyValue.newBuilder().setStringValue("short"))
                                    .addValues(
                                        AnyValue.newBuilder()
                                            .setStringValue("much too long for it")))))
            .addAttributes(attribute("ok", "fits"))
            .build();

    SanitizedBatch batch = sanitize(input);
    Span out = onlySpan(batch);

    assertThat(out.getAttributes(0).getValue().getStringValue()).isEqualTo("0123456789");
    assertThat(out.getAttributes(1).getValue().getBytesValue().toStringUtf8())
        .isEqualTo("0123456789");
    assertThat(out.getAttributes(2).getValue().getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue)
        .containsExactly("short", "much too l");
    assertThat(out.getAttributes(3)).isSameAs(input.getAttributes(3));
    assertThat(batch.truncatedValues()).isEqualTo(3);
    assertThat(out.getDroppedAttributesCount()).isZero();
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String text = "123456789\uD83D\uDE00tail"; // the emoji straddles the 10-char limit
    Span out =
        onlySpan(
            sanitize(
                span(randomTraceId(), "a")
                    .clearAttributes()
                    .addAttributes(attribute("e", text))
                    .build()));

    assertThat(out.getAttributes(0).getValue().getStringValue()).isEqualTo("123456789");
  }

  @Test
  void eventsAndLinksAreBoundedWithTheirAttributes() {
    Span.Builder input = span(randomTraceId(), "a");
    for (int i = 0; i < 3; i++) {
      Span.Event.Builder event = Span.Event.newBuilder().setName("e" + i);
      IntStream.range(0, 6).forEach(k -> event.addAttributes(attribute("k" + k, "v")));
      input.addEvents(event);
      input.addLinks(
          Span.Link.newBuilder()
              .setTraceId(randomTraceId())
              .setSpanId(dev.cairn.collector.OtlpFixtures.randomSpanId())
              .addAttributes(attribute("l", "a value that is too long")));
    }

    SanitizedBatch batch = sanitize(input.build());
    Span out = onlySpan(batch);

    assertThat(out.getEventsList()).extracting(Span.Event::getName).containsExactly("e0", "e1");
    assertThat(out.getDroppedEventsCount()).isEqualTo(1);
    assertThat(out.getEvents(0).getAttributesCount()).isEqualTo(4);
    assertThat(out.getEvents(0).getDroppedAttributesCount()).isEqualTo(2);
    assertThat(out.getLinksCount()).isEqualTo(2);
    assertThat(out.getDroppedLinksCount()).isEqualTo(1);
    assertThat(out.getLinks(1).getAttributes(0).getValue().getStringValue())
        .isEqualTo("a value th");
    assertThat(batch.truncatedValues()).isEqualTo(2);
  }

  @Test
  void resourceAttributesAreBounded() {
    Resource.Builder resource = Resource.newBuilder();
    IntStream.range(0, 5).forEach(i -> resource.addAttributes(attribute("r" + i, "v")));
    ResourceSpans input =
        resourceSpans("x", List.of(span(randomTraceId(), "a").build())).toBuilder()
            .setResource(resource)
            .build();

    ResourceSpans out = sanitizer.sanitize(List.of(input)).accepted().get(0);

    assertThat(out.getResource().getAttributesCount()).isEqualTo(4);
    assertThat(out.getResource().getDroppedAttributesCount()).isEqualTo(1);
    assertThat(out.getScopeSpans(0).getSpans(0)).isEqualTo(input.getScopeSpans(0).getSpans(0));
  }

  // --- time window ---------------------------------------------------------------------------

  private static Span.Builder spanAt(long startNanos, long endNanos) {
    return span(randomTraceId(), "t").setStartTimeUnixNano(startNanos).setEndTimeUnixNano(endNanos);
  }

  @Test
  void aSpanMayStartUpToMaxSpanAgeAgo() {
    long oldest = NOW - Duration.ofDays(30).toNanos();

    assertThat(reasonOf(spanAt(oldest, oldest + 5))).isNull();
    assertThat(reasonOf(spanAt(oldest - 1, oldest + 5)))
        .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
  }

  @Test
  void aSpanMayEndUpToMaxFutureSkewAhead() {
    long latest = NOW + Duration.ofHours(1).toNanos();

    assertThat(reasonOf(spanAt(NOW, latest))).isNull();
    assertThat(reasonOf(spanAt(NOW, latest + 1))).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    // A span that started in the window but has not ended by now + skew is out of range too.
    assertThat(reasonOf(spanAt(NOW - 5, latest + 1)))
        .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
  }

  @Test
  void theEpochAndTheYear2200AreOutOfRange() {
    long year2200 = TimeUnit.SECONDS.toNanos(7_258_118_400L);

    assertThat(reasonOf(spanAt(0, 0))).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(reasonOf(spanAt(1, 1_000))).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(reasonOf(spanAt(year2200, year2200 + 1)))
        .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    // fixed64 is unsigned: beyond Long.MAX_VALUE is the far future, not the past.
    assertThat(reasonOf(spanAt(-2, -1))).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
  }

  @Test
  void theWindowIsConfigurableAndFollowsTheClock() {
    SpanSanitizer strict =
        new SpanSanitizer(
            IngestLimits.DEFAULTS,
            new SpanTimeWindow(Duration.ofMinutes(5), Duration.ZERO),
            Clock.offset(CLOCK, Duration.ofMinutes(1)));
    long now = NOW + Duration.ofMinutes(1).toNanos();

    assertThat(strict.check(spanAt(now - Duration.ofMinutes(5).toNanos(), now).build(), now))
        .isNull();
    assertThat(strict.check(spanAt(NOW - Duration.ofMinutes(5).toNanos(), NOW).build(), now))
        .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(strict.check(spanAt(now, now + 1).build(), now))
        .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    // sanitize() reads the clock it was given: the span 10 min old is too old for a 5 min window.
    assertThat(
            strict
                .sanitize(List.of(resourceSpans("x", List.of(span(randomTraceId(), "a").build()))))
                .rejected())
        .isEqualTo(Map.of(RejectReason.TIMESTAMP_OUT_OF_RANGE, 1));
  }

  @Test
  void endBeforeStartIsReportedBeforeTheWindow() {
    assertThat(reasonOf(spanAt(5, 1))).isEqualTo(RejectReason.END_BEFORE_START);
  }

  @Test
  void spansOutOfRangeAreRejectedWithAMessageAndInRangeTimesAreKeptAsReceived() {
    Span inRange = spanAt(START + 123, START + 456_789).build();
    Span future =
        spanAt(NOW + Duration.ofDays(1).toNanos(), NOW + Duration.ofDays(1).toNanos()).build();
    Span past = spanAt(1, 2).build();

    SanitizedBatch batch = sanitize(future, inRange, past);

    assertThat(onlySpan(batch)).isSameAs(inRange);
    assertThat(batch.rejected()).isEqualTo(Map.of(RejectReason.TIMESTAMP_OUT_OF_RANGE, 2));
    assertThat(batch.rejectionMessage())
        .startsWith("2 spans rejected: 2 timestamp out of range (")
        .contains("max-span-age", "max-future-skew");
  }

  // --- strings -------------------------------------------------------------------------------

  private static SanitizedBatch sanitizeEveryStringField(SpanSanitizer sanitizer, String text) {
    return sanitizer.sanitize(
        List.of(
            HostileStrings.everyStringField(
                "checkout", randomTraceId(), randomSpanId(), START, text)));
  }

  @Test
  void nulInEveryStringFieldIsReplacedAndCounted() {
    SpanSanitizer unbounded = new SpanSanitizer(IngestLimits.DEFAULTS, WINDOW, CLOCK);

    SanitizedBatch batch = sanitizeEveryStringField(unbounded, HostileStrings.NUL_MARKER);

    String stored = json(batch);
    assertThat(batch.acceptedSpans()).isEqualTo(1);
    assertThat(batch.rejectedSpans()).isZero();
    assertThat(stored).doesNotContain("\u0000", "\\u0000");
    assertThat(HostileStrings.count(stored, HostileStrings.REPLACED_MARKER))
        .isEqualTo(HostileStrings.STRING_FIELDS);
    assertThat(batch.replaced())
        .isEqualTo(Map.of(CharacterReplacement.NUL, 2L * HostileStrings.STRING_FIELDS));
    assertThat(batch.rejectionMessage())
        .isEqualTo("48 characters replaced with U+FFFD: 48 NUL (U+0000)");
  }

  @Test
  void theFixtureHasTheMarkerInEveryStringField() {
    String clean =
        OtlpJson.print(
            TracesData.newBuilder()
                .addResourceSpans(
                    HostileStrings.everyStringField(
                        "checkout", randomTraceId(), randomSpanId(), START, HostileStrings.MARKER))
                .build());
    assertThat(HostileStrings.count(clean, HostileStrings.MARKER))
        .isEqualTo(HostileStrings.STRING_FIELDS);
  }

  @Test
  void nulIsReplacedInStringsDecodedFromProtobufToo() throws Exception {
    ResourceSpans input =
        HostileStrings.everyStringField(
            "checkout", randomTraceId(), randomSpanId(), START, HostileStrings.NUL_MARKER);
    ParsedRequest parsed =
        OtlpRequestParser.protobuf(
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(input)
                .build()
                .toByteArray());
    assertThat(parsed.mayHoldUnpairedSurrogates()).isFalse();

    SanitizedBatch batch = sanitizer.sanitize(parsed);

    assertThat(batch.replaced())
        .isEqualTo(Map.of(CharacterReplacement.NUL, 2L * HostileStrings.STRING_FIELDS));
  }

  @Test
  void unpairedSurrogatesAreReplacedAndPairsKept() {
    Span input =
        span(randomTraceId(), "lone \uD800 high, lone \uDC00 low, pair \uD83D\uDE00, end \uD83D")
            .build();

    SanitizedBatch batch = sanitize(input);

    assertThat(onlySpan(batch).getName())
        .isEqualTo("lone \uFFFD high, lone \uFFFD low, pair \uD83D\uDE00, end \uFFFD");
    assertThat(batch.replaced()).isEqualTo(Map.of(CharacterReplacement.UNPAIRED_SURROGATE, 3L));
  }

  @Test
  void cleanStringsWithEmojiAreNotCopied() {
    Span input = span(randomTraceId(), "pair \uD83D\uDE00").build();

    assertThat(onlySpan(sanitize(input))).isSameAs(input);
  }

  @Test
  void replacementsAndRejectionsShareTheMessageAndParsingCountsAreAdded() {
    Span nul = span(randomTraceId(), "a\u0000b").build();
    Span zero = span(zeros(16), "z").build();

    SanitizedBatch batch =
        sanitizer.sanitize(List.of(resourceSpans("checkout", List.of(nul, zero))), 3, true);

    assertThat(batch.rejectionMessage())
        .isEqualTo(
            "1 span rejected: 1 invalid trace id (all zero); 4 characters replaced with U+FFFD:"
                + " 1 NUL (U+0000), 3 invalid UTF-8");
  }

  @Test
  void aValueIsTruncatedAfterItsCharactersAreReplaced() {
    Span input =
        span(randomTraceId(), "a")
            .clearAttributes()
            .addAttributes(attribute("s", "\u0000123456789abc"))
            .build();

    SanitizedBatch batch = sanitize(input);

    assertThat(onlySpan(batch).getAttributes(0).getValue().getStringValue())
        .isEqualTo("\uFFFD123456789");
    assertThat(batch.truncatedValues()).isEqualTo(1);
    assertThat(batch.replaced()).isEqualTo(Map.of(CharacterReplacement.NUL, 1L));
  }

  /** The accepted spans as OTLP JSON, where U+FFFD is printed as itself and NUL as an escape. */
  static String json(SanitizedBatch batch) {
    return OtlpJson.print(TracesData.newBuilder().addAllResourceSpans(batch.accepted()).build());
  }

  private static Span onlySpan(SanitizedBatch batch) {
    assertThat(batch.acceptedSpans()).isEqualTo(1);
    return batch.accepted().get(0).getScopeSpans(0).getSpans(0);
  }
}
