package dev.cairn.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import dev.cairn.model.Span;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link OtlpJsonWriter} (through {@link OtlpJson}'s print methods) against two oracles: the
 * document protobuf's {@link JsonFormat} prints, with ids rewritten to hex, must be the same JSON;
 * and {@link OtlpJson}'s parser and {@link JsonFormat}'s parser must read the output back to an
 * equal message.
 */
class OtlpJsonWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fixtureTracesPrintAsJsonFormatWithHexIdsAndReadBack() throws Exception {
    assertPrintsLikeJsonFormatAndReadBack(
        OtlpSpanMapper.toTracesData(
            SpanFixtures.threeServiceTrace(
                OtlpGoldenTest.GOLDEN_TRACE, OtlpGoldenTest.GOLDEN_START)));
    Random random = new Random(42);
    for (int trace = 0; trace < 60; trace++) {
      List<Span> spans = new ArrayList<>();
      for (int i = random.nextInt(20); i >= 0; i--) {
        spans.add(SpanFixtures.randomSpan(random));
      }
      assertPrintsLikeJsonFormatAndReadBack(OtlpSpanMapper.toTracesData(spans));
    }
  }

  @Test
  void randomMessagesWithEdgeValuesPrintAsJsonFormatAndReadBack() throws Exception {
    for (long seed = 0; seed < 300; seed++) {
      assertPrintsLikeJsonFormatAndReadBack(new RandomOtlpMessages(seed, false, 9).tracesData());
    }
  }

  /**
   * Fails when the protos gain a field the writer does not print (or prints under a wrong name).
   */
  @Test
  void everyFieldTheProtosDeclareIsPrinted() throws Exception {
    Set<String> printedNames = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      TracesData data = new RandomOtlpMessages(seed, true, 10).tracesData();
      assertPrintsLikeJsonFormatAndReadBack(data);
      collectFieldNames(JSON.readTree(OtlpJson.print(data)), printedNames);
    }
    Set<String> declaredNames = new HashSet<>();
    collectJsonNames(TracesData.getDescriptor(), declaredNames, new HashSet<>());
    assertThat(declaredNames).contains("traceId", "entityRefs", "kvlistValue", "bytesValue");
    assertThat(printedNames).containsAll(declaredNames);
  }

  @Test
  void exportRequestsPrintLikeTracesData() throws Exception {
    for (long seed = 0; seed < 50; seed++) {
      TracesData data = new RandomOtlpMessages(seed, false, 9).tracesData();
      ExportTraceServiceRequest request =
          ExportTraceServiceRequest.newBuilder()
              .addAllResourceSpans(data.getResourceSpansList())
              .build();
      String printed = OtlpJson.print(request);
      assertThat(printed).isEqualTo(OtlpJson.print(data));
      ByteArrayOutputStream streamed = new ByteArrayOutputStream();
      OtlpJson.print(request, streamed);
      assertThat(JSON.readTree(streamed.toByteArray())).isEqualTo(JSON.readTree(printed));
      assertThat(OtlpJson.parseExportRequest(streamed.toByteArray()))
          .isEqualTo(withoutNegativeZero(request));
    }
  }

  /** Without ids (the one place OTLP/JSON departs from it), protobuf's own parser reads it. */
  @Test
  void jsonFormatsStrictParserReadsTheOutputOfMessagesWithoutIds() throws Exception {
    for (long seed = 0; seed < 100; seed++) {
      TracesData data = withoutIds(new RandomOtlpMessages(seed, false, 9).tracesData());
      TracesData.Builder parsed = TracesData.newBuilder();
      JsonFormat.parser().merge(OtlpJson.print(data), parsed);
      assertThat(parsed.build()).isEqualTo(withoutNegativeZero(data));
    }
  }

  @Test
  void edgeValuesAreEncodedAsOtlpJsonSays() throws Exception {
    io.opentelemetry.proto.trace.v1.Span span =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[] {(byte) 0xAB, 0x01, 0x7f}))
            .setKindValue(99)
            .setFlags(-1)
            .setStartTimeUnixNano(-1L)
            .setDroppedAttributesCount(Integer.MIN_VALUE)
            .addAttributes(attribute("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN)))
            .addAttributes(
                attribute("inf", AnyValue.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY)))
            .addAttributes(attribute("zero", AnyValue.newBuilder().setDoubleValue(-0.0)))
            .addAttributes(attribute("min", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE)))
            .addAttributes(attribute("empty", AnyValue.newBuilder().setStringValue("")))
            .addAttributes(attribute("false", AnyValue.newBuilder().setBoolValue(false)))
            .addAttributes(attribute("unset", AnyValue.newBuilder()))
            .addAttributes(
                attribute(
                    "bytes",
                    AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) 0xff}))))
            .addAttributes(KeyValue.newBuilder().setKey("no value"))
            .setStatus(Status.newBuilder().setCodeValue(-5))
            .build();
    TracesData data =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.getDefaultInstance())
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build();

    String printed = OtlpJson.print(data);

    assertThat(printed)
        .isEqualTo(
            "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[{"
                + "\"traceId\":\"ab017f\",\"flags\":4294967295,\"kind\":99,"
                + "\"startTimeUnixNano\":\"18446744073709551615\",\"attributes\":["
                + "{\"key\":\"nan\",\"value\":{\"doubleValue\":\"NaN\"}},"
                + "{\"key\":\"inf\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
                + "{\"key\":\"zero\",\"value\":{\"doubleValue\":-0.0}},"
                + "{\"key\":\"min\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
                + "{\"key\":\"empty\",\"value\":{\"stringValue\":\"\"}},"
                + "{\"key\":\"false\",\"value\":{\"boolValue\":false}},"
                + "{\"key\":\"unset\",\"value\":{}},"
                + "{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AQL/\"}},"
                + "{\"key\":\"no value\"}],"
                + "\"droppedAttributesCount\":2147483648,\"status\":{\"code\":-5}}]}]}]}");
    assertPrintsLikeJsonFormatAndReadBack(data);
  }

  @Test
  void stringsAreEscapedAndNonBmpCharactersWrittenAsUtf8() throws Exception {
    String name = "q\"uote \\ nul\u0000 tab\t 日本 \uD83C\uDF89 lone\uD800";
    TracesData data = spanNamed(name);

    byte[] utf8 = OtlpJson.printUtf8(data);

    String text = new String(utf8, StandardCharsets.UTF_8);
    assertThat(text)
        .contains("\"name\":\"q\\\"uote \\\\ nul\\u0000 tab\\t 日本 \uD83C\uDF89 lone\\uD800\"");
    assertThat(OtlpJson.parseTracesData(utf8)).isEqualTo(data);
    assertPrintsLikeJsonFormatAndReadBack(data);
  }

  /** Unknown fields (from a newer sender) are not printed, as JsonFormat does not print them. */
  @Test
  void unknownFieldsAreNotPrinted() throws Exception {
    TracesData known = spanNamed("known");
    TracesData withUnknown =
        known.toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                    .build())
            .build();
    assertThat(OtlpJson.print(withUnknown)).isEqualTo(OtlpJson.print(known));
    assertThat(JsonFormatReference.print(withUnknown)).isEqualTo(OtlpJson.print(known));
  }

  @Test
  void streamsToTheCallersStreamAndLeavesItOpen() throws Exception {
    TracesData data = new RandomOtlpMessages(7, true, 8).tracesData();
    List<String> calls = new ArrayList<>();
    ByteArrayOutputStream target =
        new ByteArrayOutputStream() {
          @Override
          public void flush() {
            calls.add("flush");
          }

          @Override
          public void close() {
            calls.add("close");
          }
        };

    OtlpJson.print(data, target);

    assertThat(calls).contains("flush").doesNotContain("close");
    assertThat(target.toByteArray()).isEqualTo(OtlpJson.printUtf8(data));
    assertThat(JSON.readTree(target.toByteArray())).isEqualTo(JSON.readTree(OtlpJson.print(data)));
  }

  @Test
  void emptyDocumentIsAnEmptyObject() {
    assertThat(OtlpJson.print(TracesData.getDefaultInstance())).isEqualTo("{}");
    assertThat(OtlpJson.print(ExportTraceServiceRequest.getDefaultInstance())).isEqualTo("{}");
  }

  private static void assertPrintsLikeJsonFormatAndReadBack(TracesData data) throws Exception {
    String printed = OtlpJson.print(data);
    byte[] utf8 = OtlpJson.printUtf8(data);
    assertThat(JSON.readTree(printed))
        .as("same JSON as JsonFormat with hex ids, for %s", data)
        .isEqualTo(JsonFormatReference.tree(data));
    assertThat(JSON.readTree(utf8)).isEqualTo(JSON.readTree(printed));
    assertThat(OtlpJson.parseTracesData(utf8)).isEqualTo(withoutNegativeZero(data));
  }

  /**
   * The message as a parser reads it back: JsonFormat's parser (which OtlpJson's uses) reads {@code
   * -0.0} as {@code 0.0}, as it goes through BigDecimal; JsonFormat prints {@code -0.0}, and so
   * does the writer.
   */
  @SuppressWarnings("unchecked")
  private static <M extends Message> M withoutNegativeZero(M message) {
    Message.Builder builder = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (descriptor.isRepeated()) {
          List<Message> elements = (List<Message>) field.getValue();
          for (int i = 0; i < elements.size(); i++) {
            builder.setRepeatedField(descriptor, i, withoutNegativeZero(elements.get(i)));
          }
        } else {
          builder.setField(descriptor, withoutNegativeZero((Message) field.getValue()));
        }
      } else if (descriptor.getJavaType() == FieldDescriptor.JavaType.DOUBLE
          && !descriptor.isRepeated()
          && Double.doubleToRawLongBits((Double) field.getValue()) == Long.MIN_VALUE) {
        builder.setField(descriptor, 0.0);
      }
    }
    return (M) builder.build();
  }

  private static TracesData spanNamed(String name) {
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                .setTraceId(ByteString.copyFrom(new byte[16]))
                                .setName(name))))
        .build();
  }

  private static KeyValue attribute(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static TracesData withoutIds(TracesData data) {
    TracesData.Builder builder = data.toBuilder();
    for (ResourceSpans.Builder resourceSpans : builder.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder scopeSpans : resourceSpans.getScopeSpansBuilderList()) {
        for (var span : scopeSpans.getSpansBuilderList()) {
          span.clearTraceId().clearSpanId().clearParentSpanId();
          for (var link : span.getLinksBuilderList()) {
            link.clearTraceId().clearSpanId();
          }
        }
      }
    }
    return builder.build();
  }

  private static void collectFieldNames(JsonNode node, Set<String> names) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        names.add(field.getKey());
        collectFieldNames(field.getValue(), names);
      }
    } else if (node.isArray()) {
      node.forEach(element -> collectFieldNames(element, names));
    }
  }

  private static void collectJsonNames(Descriptor type, Set<String> names, Set<Descriptor> seen)
      throws IOException {
    if (!seen.add(type)) {
      return;
    }
    for (FieldDescriptor field : type.getFields()) {
      names.add(field.getJsonName());
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        collectJsonNames(field.getMessageType(), names, seen);
      }
    }
  }
}
