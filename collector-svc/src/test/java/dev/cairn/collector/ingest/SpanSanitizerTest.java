package dev.cairn.collector.ingest;

import static dev.cairn.collector.OtlpFixtures.attribute;
import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static dev.cairn.collector.OtlpFixtures.zeros;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpanSanitizerTest {

  private final SpanSanitizer sanitizer = new SpanSanitizer(new IngestLimits(4, 10, 2, 2));

  private SanitizedBatch sanitize(Span... spans) {
    return sanitizer.sanitize(List.of(resourceSpans("checkout", List.of(spans))));
  }

  private static RejectReason reasonOf(Span.Builder span) {
    return SpanSanitizer.check(span.build());
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

  private static Span onlySpan(SanitizedBatch batch) {
    assertThat(batch.acceptedSpans()).isEqualTo(1);
    return batch.accepted().get(0).getScopeSpans(0).getSpans(0);
  }
}
