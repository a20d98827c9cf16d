package dev.cairn.collector.ingest;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static dev.cairn.collector.OtlpFixtures.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.TracePart;
import dev.cairn.model.wire.TraceWireCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class IngestServiceTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<TracePart> published = new ArrayList<>();

  private IngestService service(SpanPublisher publisher) {
    return service(publisher, TraceWireCodec.DEFAULT_MAX_RECORD_BYTES);
  }

  private IngestService service(SpanPublisher publisher, int maxRecordBytes) {
    return new IngestService(
        new SpanSanitizer(IngestLimits.DEFAULTS),
        publisher,
        new IngestMetrics(registry),
        maxRecordBytes);
  }

  private final SpanPublisher recording =
      parts -> {
        published.addAll(parts);
        return CompletableFuture.completedFuture(null);
      };

  @Test
  void publishesOnePartPerTraceAndReportsTheRejectedSpans() throws Exception {
    ByteString traceA = randomTraceId();
    ByteString traceB = randomTraceId();
    ExportTraceServiceRequest request =
        request(
            resourceSpans(
                "frontend",
                List.of(
                    span(traceA, "a1").build(),
                    span(traceB, "b1").build(),
                    span(zeros(16), "bad").build())),
            resourceSpans("backend", List.of(span(traceA, "a2").build())));

    IngestResult result =
        service(recording).ingest(request, Transport.GRPC).toCompletableFuture().get();

    assertThat(result.acceptedSpans()).isEqualTo(3);
    ExportTraceServiceResponse response = result.toResponse();
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("1 span rejected: 1 invalid trace id (all zero)");
    assertThat(published)
        .extracting(TracePart::traceId)
        .containsExactly(
            TraceId.fromBytes(traceA.toByteArray()), TraceId.fromBytes(traceB.toByteArray()));
    assertThat(published).extracting(TracePart::spanCount).containsExactly(2, 1);
    assertThat(published.get(0).data().getResourceSpansCount()).isEqualTo(2);
    assertThat(count("cairn.collector.spans.received", "transport", "grpc")).isEqualTo(4);
    assertThat(count("cairn.collector.spans.rejected", "reason", "trace_id_zero")).isEqualTo(1);
    assertThat(count("cairn.collector.spans.published", null, null)).isEqualTo(3);
  }

  @Test
  void fullSuccessHasNoPartialSuccess() throws Exception {
    IngestResult result =
        service(recording)
            .ingest(
                request(resourceSpans("a", List.of(span(randomTraceId(), "x").build()))),
                Transport.HTTP_JSON)
            .toCompletableFuture()
            .get();

    assertThat(result.toResponse().hasPartialSuccess()).isFalse();
    assertThat(count("cairn.collector.spans.received", "transport", "http_json")).isEqualTo(1);
  }

  @Test
  void anEmptyRequestSucceedsWithoutPublishing() throws Exception {
    SpanPublisher mustNotBeCalled =
        parts -> {
          throw new AssertionError("nothing to publish");
        };

    IngestResult result =
        service(mustNotBeCalled)
            .ingest(ExportTraceServiceRequest.getDefaultInstance(), Transport.HTTP_PROTOBUF)
            .toCompletableFuture()
            .get();

    assertThat(result.toResponse()).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
  }

  @Test
  void aBatchOfOnlyInvalidSpansIsAnsweredWithoutPublishing() throws Exception {
    Span bad = span(randomTraceId(), "x").setSpanId(zeros(8)).build();

    IngestResult result =
        service(recording)
            .ingest(request(resourceSpans("a", List.of(bad))), Transport.GRPC)
            .toCompletableFuture()
            .get();

    assertThat(published).isEmpty();
    assertThat(result.rejectedSpans()).isEqualTo(1);
  }

  @Test
  void aPublishFailureFailsTheRequestAndIsCounted() {
    SpanPublisher failing =
        parts ->
            CompletableFuture.failedFuture(
                new PublishFailedException("broker down", new RuntimeException("timeout"), true));

    CompletableFuture<IngestResult> result =
        service(failing)
            .ingest(
                request(resourceSpans("a", List.of(span(randomTraceId(), "x").build()))),
                Transport.GRPC)
            .toCompletableFuture();

    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PublishFailedException.class);
    assertThat(count("cairn.collector.spans.published", null, null)).isZero();
    assertThat(count("cairn.collector.publish.failures", "retryable", "true")).isEqualTo(1);
    assertThat(count("cairn.collector.publish.failures", "retryable", "false")).isZero();
  }

  @Test
  void aFinalPublishFailureStaysFinalAndIsCountedApart() {
    SpanPublisher refusing =
        parts ->
            CompletableFuture.failedFuture(
                new PublishFailedException("too large", new RuntimeException("refused"), false));

    CompletableFuture<IngestResult> result =
        service(refusing)
            .ingest(
                request(resourceSpans("a", List.of(span(randomTraceId(), "x").build()))),
                Transport.HTTP_PROTOBUF)
            .toCompletableFuture();

    assertThatThrownBy(result::get)
        .cause()
        .isInstanceOfSatisfying(
            PublishFailedException.class, e -> assertThat(e.retryable()).isFalse());
    assertThat(count("cairn.collector.publish.failures", "retryable", "false")).isEqualTo(1);
    assertThat(count("cairn.collector.publish.failures", "retryable", "true")).isZero();
    assertThat(
            registry
                .find("cairn.collector.request.duration")
                .tag("outcome", "refused")
                .tag("transport", "http_protobuf")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aTraceLargerThanOneRecordIsPublishedAsSeveralPartsOfTheSameTrace() throws Exception {
    ByteString trace = randomTraceId();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      spans.add(span(trace, "op-" + i).build());
    }
    int maxRecordBytes = 8 * 1024;

    IngestResult result =
        service(recording, maxRecordBytes)
            .ingest(request(resourceSpans("a", spans)), Transport.GRPC)
            .toCompletableFuture()
            .get();

    assertThat(result.acceptedSpans()).isEqualTo(1_000);
    assertThat(result.toResponse().hasPartialSuccess()).isFalse();
    assertThat(published.size()).isGreaterThan(5);
    assertThat(published).extracting(TracePart::traceId).containsOnly(id(trace));
    assertThat(published)
        .allSatisfy(
            part ->
                assertThat(part.data().getSerializedSize()).isLessThanOrEqualTo(maxRecordBytes));
    assertThat(published.stream().mapToInt(TracePart::spanCount).sum()).isEqualTo(1_000);
    assertThat(count("cairn.collector.spans.published", null, null)).isEqualTo(1_000);
  }

  /**
   * The ingest limits do not keep a span under one record: 128 attributes of 4,096 characters of
   * three UTF-8 bytes each, all within the limits, are 1.5 MiB. Such a span is rejected with its
   * reason; its neighbours, even of the same trace, are published.
   */
  @Test
  void aSpanWithinTheLimitsButLargerThanARecordIsRejectedWithAReason() throws Exception {
    ByteString trace = randomTraceId();
    Span.Builder huge = span(trace, "huge");
    String value = "\u20ac".repeat(IngestLimits.DEFAULT_MAX_VALUE_LENGTH);
    for (int i = 1; i < IngestLimits.DEFAULT_MAX_ATTRIBUTES; i++) {
      huge.addAttributes(dev.cairn.collector.OtlpFixtures.attribute("a" + i, value));
    }
    assertThat(huge.build().getSerializedSize())
        .isGreaterThan(TraceWireCodec.DEFAULT_MAX_RECORD_BYTES);

    IngestResult result =
        service(recording)
            .ingest(
                request(resourceSpans("a", List.of(span(trace, "small").build(), huge.build()))),
                Transport.GRPC)
            .toCompletableFuture()
            .get();

    assertThat(count("cairn.collector.attributes.truncated", null, null)).isZero();
    assertThat(result.acceptedSpans()).isEqualTo(1);
    assertThat(result.toResponse().getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(result.toResponse().getPartialSuccess().getErrorMessage())
        .isEqualTo("1 span rejected: 1 span larger than one Kafka record");
    assertThat(count("cairn.collector.spans.rejected", "reason", "span_too_large")).isEqualTo(1);
    assertThat(count("cairn.collector.spans.published", null, null)).isEqualTo(1);
    assertThat(published).singleElement().extracting(TracePart::spanCount).isEqualTo(1);
  }

  private static TraceId id(ByteString bytes) {
    return TraceId.fromBytes(bytes.toByteArray());
  }

  @Test
  void aPublisherThatThrowsIsTreatedAsAPublishFailure() {
    SpanPublisher throwing =
        parts -> {
          throw new IllegalStateException("producer closed");
        };

    CompletableFuture<IngestResult> result =
        service(throwing)
            .ingest(
                request(resourceSpans("a", List.of(span(randomTraceId(), "x").build()))),
                Transport.GRPC)
            .toCompletableFuture();

    assertThatThrownBy(result::get)
        .hasCauseInstanceOf(PublishFailedException.class)
        .hasRootCauseMessage("producer closed");
  }

  @Test
  void aMalformedRequestIsCountedPerTransportWithoutPublishing() {
    IngestService service = service(recording);

    service.rejectMalformed(Transport.GRPC);
    service.rejectMalformed(Transport.GRPC);
    service.rejectMalformed(Transport.HTTP_JSON);

    assertThat(malformed("grpc")).isEqualTo(2);
    assertThat(malformed("http_json")).isEqualTo(1);
    assertThat(malformed("http_protobuf")).isZero();
    assertThat(published).isEmpty();
  }

  private double malformed(String transport) {
    return registry
        .find("cairn.collector.requests.rejected")
        .tag("reason", "malformed")
        .tag("transport", transport)
        .counter()
        .count();
  }

  @Test
  void truncationsAreCounted() throws Exception {
    Span longValue =
        span(randomTraceId(), "x")
            .addAttributes(dev.cairn.collector.OtlpFixtures.attribute("big", "x".repeat(5000)))
            .build();

    service(recording)
        .ingest(request(resourceSpans("a", List.of(longValue))), Transport.GRPC)
        .toCompletableFuture()
        .get();

    assertThat(count("cairn.collector.attributes.truncated", null, null)).isEqualTo(1);
    assertThat(
            published
                .get(0)
                .data()
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0)
                .getAttributes(1)
                .getValue()
                .getStringValue())
        .hasSize(IngestLimits.DEFAULT_MAX_VALUE_LENGTH);
  }

  @Test
  void outOfRangeSpansAreRejectedAndCountedUnderTheirReason() throws Exception {
    ByteString trace = randomTraceId();
    Span inRange = span(trace, "now").build();
    Span ancient = span(trace, "1970").setStartTimeUnixNano(1).setEndTimeUnixNano(2).build();

    IngestResult result =
        service(recording)
            .ingest(request(resourceSpans("a", List.of(inRange, ancient))), Transport.GRPC)
            .toCompletableFuture()
            .get();

    assertThat(result.toResponse().getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(result.toResponse().getPartialSuccess().getErrorMessage())
        .contains("timestamp out of range");
    assertThat(count("cairn.collector.spans.rejected", "reason", "timestamp_out_of_range"))
        .isEqualTo(1);
    assertThat(published).extracting(TracePart::spanCount).containsExactly(1);
  }

  @Test
  void replacedCharactersAreCountedAndReportedAsAWarning() throws Exception {
    Span nul = span(randomTraceId(), "a\u0000b").build();

    IngestResult result =
        service(recording)
            .ingest(
                new ParsedRequest(request(resourceSpans("a", List.of(nul))), 2, false),
                Transport.HTTP_PROTOBUF)
            .toCompletableFuture()
            .get();

    ExportTraceServiceResponse response = result.toResponse();
    // OTLP's warning: partial_success with rejected_spans 0 and a message.
    assertThat(response.hasPartialSuccess()).isTrue();
    assertThat(response.getPartialSuccess().getRejectedSpans()).isZero();
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("3 characters replaced with U+FFFD: 1 NUL (U+0000), 2 invalid UTF-8");
    assertThat(count("cairn.collector.characters.replaced", "reason", "nul")).isEqualTo(1);
    assertThat(count("cairn.collector.characters.replaced", "reason", "invalid_utf8")).isEqualTo(2);
    assertThat(count("cairn.collector.characters.replaced", "reason", "unpaired_surrogate"))
        .isZero();
    assertThat(published.get(0).data().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("a\uFFFDb");
  }

  private double count(String name, String tag, String value) {
    var search = registry.find(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    return search.counter().count();
  }
}
