package dev.cairn.collector.ingest;

import static dev.cairn.collector.OtlpFixtures.START;
import static dev.cairn.collector.OtlpFixtures.randomSpanId;
import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static dev.cairn.model.testing.HostileStrings.INVALID_UTF8_MARKER;
import static dev.cairn.model.testing.HostileStrings.MARKER;
import static dev.cairn.model.testing.HostileStrings.REPLACED_MARKER;
import static dev.cairn.model.testing.HostileStrings.STRING_FIELDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.cairn.collector.OtlpFixtures;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpJsonException;
import dev.cairn.model.testing.HostileStrings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpRequestParserTest {

  private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

  /** A clean span of one trace, and a span with the marker in every string field. */
  private record Batch(Span neighbour, ExportTraceServiceRequest request) {
    static Batch create() {
      Span neighbour = span(randomTraceId(), "neighbour").build();
      ResourceSpans hostile =
          HostileStrings.everyStringField(
              "checkout", randomTraceId(), randomSpanId(), START, MARKER);
      return new Batch(
          neighbour, OtlpFixtures.request(resourceSpans("frontend", List.of(neighbour)), hostile));
    }

    byte[] protobufWithInvalidUtf8() {
      return HostileStrings.replaceAll(request.toByteArray(), MARKER_BYTES, INVALID_UTF8_MARKER);
    }

    byte[] jsonWithInvalidUtf8() {
      return HostileStrings.replaceAll(
          OtlpJson.print(request).getBytes(StandardCharsets.UTF_8),
          MARKER_BYTES,
          INVALID_UTF8_MARKER);
    }

    /** What the request must become: the marker replaced as UTF-8 decoding replaces it. */
    ExportTraceServiceRequest repaired() throws InvalidProtocolBufferException {
      String json = OtlpJson.print(request).replace(MARKER, REPLACED_MARKER);
      return OtlpJson.parseExportRequest(json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void protobufJavaRefusesAWholeRequestForOneInvalidUtf8String() {
    byte[] body = Batch.create().protobufWithInvalidUtf8();

    // Why the parser exists: proto3 string fields are verified, the valid neighbour is lost too.
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(body))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Protocol message had invalid UTF-8.");
  }

  @Test
  void invalidUtf8InEveryStringFieldIsReplacedAndTheRestIsKeptExactly() throws Exception {
    Batch batch = Batch.create();

    ParsedRequest parsed = OtlpRequestParser.protobuf(batch.protobufWithInvalidUtf8());

    assertThat(parsed.request()).isEqualTo(batch.repaired());
    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getSpans(0))
        .isEqualTo(batch.neighbour());
    assertThat(parsed.invalidUtf8Replaced()).isEqualTo(2L * STRING_FIELDS);
  }

  @Test
  void aValidRequestIsParsedAsProtobufParsesIt() throws Exception {
    Batch batch = Batch.create();

    ParsedRequest parsed = OtlpRequestParser.protobuf(batch.request().toByteArray());

    assertThat(parsed.request()).isEqualTo(batch.request());
    assertThat(parsed.invalidUtf8Replaced()).isZero();
  }

  @Test
  void unknownFieldsSurviveTheRepair() throws Exception {
    Span withUnknown =
        span(randomTraceId(), "x" + MARKER)
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("opaque"))
                            .addVarint(7)
                            .build())
                    .build())
            .build();
    byte[] body =
        HostileStrings.replaceAll(
            request(resourceSpans("a", List.of(withUnknown))).toByteArray(),
            MARKER_BYTES,
            INVALID_UTF8_MARKER);

    Span parsed =
        OtlpRequestParser.protobuf(body).request().getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(parsed.getName()).isEqualTo("x" + REPLACED_MARKER);
    assertThat(parsed.getUnknownFields()).isEqualTo(withUnknown.getUnknownFields());
  }

  @Test
  void deeplyNestedValuesAreRepaired() throws Exception {
    AnyValue value = AnyValue.newBuilder().setStringValue(MARKER).build();
    for (int i = 0; i < 25; i++) { // 3 message levels each, below protobuf's limit of 100
      value =
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addValues(KeyValue.newBuilder().setKey("k").setValue(value)))
              .build();
    }
    Span deep =
        span(randomTraceId(), "deep")
            .addAttributes(KeyValue.newBuilder().setKey("nested").setValue(value))
            .build();
    byte[] body =
        HostileStrings.replaceAll(
            request(resourceSpans("a", List.of(deep))).toByteArray(),
            MARKER_BYTES,
            INVALID_UTF8_MARKER);

    ParsedRequest parsed = OtlpRequestParser.protobuf(body);

    assertThat(parsed.invalidUtf8Replaced()).isEqualTo(2);
    assertThat(parsed.request().toString()).doesNotContain(MARKER);
  }

  @Test
  void aTruncatedBodyFailsWithProtobufsOwnError() {
    byte[] whole = Batch.create().request().toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

    assertThatThrownBy(() -> OtlpRequestParser.protobuf(truncated))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("input ended unexpectedly");
  }

  @Test
  void invalidUtf8InABodyBrokenFurtherOnFailsWithTheFirstError() {
    byte[] hostile = Batch.create().protobufWithInvalidUtf8();
    // Then field 1, announcing 127 bytes, of which one follows.
    byte[] broken = Arrays.copyOf(hostile, hostile.length + 3);
    broken[hostile.length] = 0x0a;
    broken[hostile.length + 1] = 0x7f;

    assertThatThrownBy(() -> OtlpRequestParser.protobuf(broken))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Protocol message had invalid UTF-8.");
  }

  @Test
  void randomBytesFailWithoutAnythingButInvalidProtocolBufferException() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] body = new byte[random.nextInt(200)];
      random.nextBytes(body);
      try {
        OtlpRequestParser.protobuf(body);
      } catch (InvalidProtocolBufferException expected) {
        // malformed: reported as such, never as another exception
      }
    }
  }

  @Test
  void invalidUtf8InOtlpJsonIsReplaced() throws Exception {
    Batch batch = Batch.create();

    ParsedRequest parsed = OtlpRequestParser.json(batch.jsonWithInvalidUtf8());

    assertThat(parsed.request()).isEqualTo(batch.repaired());
    assertThat(parsed.invalidUtf8Replaced()).isEqualTo(2L * STRING_FIELDS);
  }

  @Test
  void validJsonIsParsedAsOtlpJsonParsesIt() {
    Batch batch = Batch.create();
    byte[] body = OtlpJson.print(batch.request()).getBytes(StandardCharsets.UTF_8);

    ParsedRequest parsed = OtlpRequestParser.json(body);

    assertThat(parsed.request()).isEqualTo(batch.request());
    assertThat(parsed.invalidUtf8Replaced()).isZero();
  }

  @Test
  void jsonThatIsBrokenOtherwiseFailsWithItsOwnError() {
    byte[] garbage = {'{', '"', 'r', (byte) 0xFF, '"', ':'};

    assertThatThrownBy(() -> OtlpRequestParser.json(garbage))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> OtlpRequestParser.json("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageContaining("JSON object");
  }

  @Test
  void jsonEscapesOfNulAndLoneSurrogatesReachTheSanitizerAsCharacters() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\\u0000b\\ud800c\"}]}]}]}";

    ParsedRequest parsed = OtlpRequestParser.json(json.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("a\u0000b\uD800c");
  }
}
