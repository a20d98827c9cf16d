package dev.cairn.model.otlp;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;

/**
 * Streams OTLP/JSON straight from the protobuf messages of a trace, in one pass with a Jackson
 * {@link JsonGenerator}: what protobuf's {@code JsonFormat} printer prints (lowerCamelCase names,
 * enums as integers, 64-bit integers as decimal strings, unsigned 32-bit as unsigned numbers, bytes
 * as base64, NaN and infinities as strings, fields with default values omitted, set message fields
 * always printed), except that trace and span ids are lowercase hex, as OTLP/JSON asks.
 *
 * <p>It walks the generated classes rather than protobuf's reflection, which is what makes it fast;
 * the price is that a field added to the OTLP protos must be added here. {@code OtlpJsonWriterTest}
 * fills every field the descriptors declare and fails when one is missed.
 *
 * <p>One instance per document (it holds the generator and a scratch buffer); not thread-safe.
 */
final class OtlpJsonWriter {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // The caller owns the stream (e.g. an HTTP response): flush it, never close it.
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          // Characters outside the BMP as 4 UTF-8 bytes, not as two \\u escapes.
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  private static final SerializedString RESOURCE_SPANS = name("resourceSpans");
  private static final SerializedString RESOURCE = name("resource");
  private static final SerializedString SCOPE_SPANS = name("scopeSpans");
  private static final SerializedString SCHEMA_URL = name("schemaUrl");
  private static final SerializedString SCOPE = name("scope");
  private static final SerializedString SPANS = name("spans");
  private static final SerializedString TRACE_ID = name("traceId");
  private static final SerializedString SPAN_ID = name("spanId");
  private static final SerializedString TRACE_STATE = name("traceState");
  private static final SerializedString PARENT_SPAN_ID = name("parentSpanId");
  private static final SerializedString FLAGS = name("flags");
  private static final SerializedString NAME = name("name");
  private static final SerializedString KIND = name("kind");
  private static final SerializedString START_TIME = name("startTimeUnixNano");
  private static final SerializedString END_TIME = name("endTimeUnixNano");
  private static final SerializedString ATTRIBUTES = name("attributes");
  private static final SerializedString DROPPED_ATTRIBUTES = name("droppedAttributesCount");
  private static final SerializedString EVENTS = name("events");
  private static final SerializedString DROPPED_EVENTS = name("droppedEventsCount");
  private static final SerializedString LINKS = name("links");
  private static final SerializedString DROPPED_LINKS = name("droppedLinksCount");
  private static final SerializedString STATUS = name("status");
  private static final SerializedString TIME = name("timeUnixNano");
  private static final SerializedString MESSAGE = name("message");
  private static final SerializedString CODE = name("code");
  private static final SerializedString ENTITY_REFS = name("entityRefs");
  private static final SerializedString TYPE = name("type");
  private static final SerializedString ID_KEYS = name("idKeys");
  private static final SerializedString DESCRIPTION_KEYS = name("descriptionKeys");
  private static final SerializedString VERSION = name("version");
  private static final SerializedString KEY = name("key");
  private static final SerializedString VALUE = name("value");
  private static final SerializedString VALUES = name("values");
  private static final SerializedString STRING_VALUE = name("stringValue");
  private static final SerializedString BOOL_VALUE = name("boolValue");
  private static final SerializedString INT_VALUE = name("intValue");
  private static final SerializedString DOUBLE_VALUE = name("doubleValue");
  private static final SerializedString ARRAY_VALUE = name("arrayValue");
  private static final SerializedString KVLIST_VALUE = name("kvlistValue");
  private static final SerializedString BYTES_VALUE = name("bytesValue");

  private final JsonGenerator out;
  // Hex of a 16-byte trace id, or the up to 20 digits of a 64-bit integer, without a String each;
  // longer (malformed) ids get a buffer of their own.
  private final char[] scratch = new char[32];

  private OtlpJsonWriter(JsonGenerator out) {
    this.out = out;
  }

  /**
   * Writes {@code {"resourceSpans":[…]}} as UTF-8 to {@code target}, flushes it, leaves it open.
   */
  static void write(List<ResourceSpans> resourceSpans, OutputStream target) throws IOException {
    try (JsonGenerator generator = FACTORY.createGenerator(target, JsonEncoding.UTF8)) {
      new OtlpJsonWriter(generator).document(resourceSpans);
    }
  }

  /** Writes {@code {"resourceSpans":[…]}} to {@code target}, flushes it, leaves it open. */
  static void write(List<ResourceSpans> resourceSpans, Writer target) throws IOException {
    try (JsonGenerator generator = FACTORY.createGenerator(target)) {
      new OtlpJsonWriter(generator).document(resourceSpans);
    }
  }

  private void document(List<ResourceSpans> resourceSpans) throws IOException {
    out.writeStartObject();
    if (!resourceSpans.isEmpty()) {
      out.writeFieldName(RESOURCE_SPANS);
      out.writeStartArray();
      for (ResourceSpans each : resourceSpans) {
        resourceSpans(each);
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private void resourceSpans(ResourceSpans value) throws IOException {
    out.writeStartObject();
    if (value.hasResource()) {
      out.writeFieldName(RESOURCE);
      resource(value.getResource());
    }
    if (value.getScopeSpansCount() > 0) {
      out.writeFieldName(SCOPE_SPANS);
      out.writeStartArray();
      for (ScopeSpans scopeSpans : value.getScopeSpansList()) {
        scopeSpans(scopeSpans);
      }
      out.writeEndArray();
    }
    string(SCHEMA_URL, value.getSchemaUrl());
    out.writeEndObject();
  }

  private void resource(Resource value) throws IOException {
    out.writeStartObject();
    attributes(ATTRIBUTES, value.getAttributesList());
    unsigned32(DROPPED_ATTRIBUTES, value.getDroppedAttributesCount());
    if (value.getEntityRefsCount() > 0) {
      out.writeFieldName(ENTITY_REFS);
      out.writeStartArray();
      for (EntityRef ref : value.getEntityRefsList()) {
        entityRef(ref);
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private void entityRef(EntityRef value) throws IOException {
    out.writeStartObject();
    string(SCHEMA_URL, value.getSchemaUrl());
    string(TYPE, value.getType());
    strings(ID_KEYS, value.getIdKeysList());
    strings(DESCRIPTION_KEYS, value.getDescriptionKeysList());
    out.writeEndObject();
  }

  private void scopeSpans(ScopeSpans value) throws IOException {
    out.writeStartObject();
    if (value.hasScope()) {
      out.writeFieldName(SCOPE);
      scope(value.getScope());
    }
    if (value.getSpansCount() > 0) {
      out.writeFieldName(SPANS);
      out.writeStartArray();
      for (Span span : value.getSpansList()) {
        span(span);
      }
      out.writeEndArray();
    }
    string(SCHEMA_URL, value.getSchemaUrl());
    out.writeEndObject();
  }

  private void scope(InstrumentationScope value) throws IOException {
    out.writeStartObject();
    string(NAME, value.getName());
    string(VERSION, value.getVersion());
    attributes(ATTRIBUTES, value.getAttributesList());
    unsigned32(DROPPED_ATTRIBUTES, value.getDroppedAttributesCount());
    out.writeEndObject();
  }

  private void span(Span value) throws IOException {
    out.writeStartObject();
    id(TRACE_ID, value.getTraceId());
    id(SPAN_ID, value.getSpanId());
    string(TRACE_STATE, value.getTraceState());
    id(PARENT_SPAN_ID, value.getParentSpanId());
    unsigned32(FLAGS, value.getFlags());
    string(NAME, value.getName());
    signed32(KIND, value.getKindValue());
    unsigned64(START_TIME, value.getStartTimeUnixNano());
    unsigned64(END_TIME, value.getEndTimeUnixNano());
    attributes(ATTRIBUTES, value.getAttributesList());
    unsigned32(DROPPED_ATTRIBUTES, value.getDroppedAttributesCount());
    if (value.getEventsCount() > 0) {
      out.writeFieldName(EVENTS);
      out.writeStartArray();
      for (Span.Event event : value.getEventsList()) {
        event(event);
      }
      out.writeEndArray();
    }
    unsigned32(DROPPED_EVENTS, value.getDroppedEventsCount());
    if (value.getLinksCount() > 0) {
      out.writeFieldName(LINKS);
      out.writeStartArray();
      for (Span.Link link : value.getLinksList()) {
        link(link);
      }
      out.writeEndArray();
    }
    unsigned32(DROPPED_LINKS, value.getDroppedLinksCount());
    if (value.hasStatus()) {
      out.writeFieldName(STATUS);
      status(value.getStatus());
    }
    out.writeEndObject();
  }

  private void event(Span.Event value) throws IOException {
    out.writeStartObject();
    unsigned64(TIME, value.getTimeUnixNano());
    string(NAME, value.getName());
    attributes(ATTRIBUTES, value.getAttributesList());
    unsigned32(DROPPED_ATTRIBUTES, value.getDroppedAttributesCount());
    out.writeEndObject();
  }

  private void link(Span.Link value) throws IOException {
    out.writeStartObject();
    id(TRACE_ID, value.getTraceId());
    id(SPAN_ID, value.getSpanId());
    string(TRACE_STATE, value.getTraceState());
    attributes(ATTRIBUTES, value.getAttributesList());
    unsigned32(DROPPED_ATTRIBUTES, value.getDroppedAttributesCount());
    unsigned32(FLAGS, value.getFlags());
    out.writeEndObject();
  }

  private void status(Status value) throws IOException {
    out.writeStartObject();
    string(MESSAGE, value.getMessage());
    signed32(CODE, value.getCodeValue());
    out.writeEndObject();
  }

  private void attributes(SerializedString field, List<KeyValue> values) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    out.writeFieldName(field);
    out.writeStartArray();
    for (KeyValue keyValue : values) {
      keyValue(keyValue);
    }
    out.writeEndArray();
  }

  private void keyValue(KeyValue value) throws IOException {
    out.writeStartObject();
    string(KEY, value.getKey());
    if (value.hasValue()) {
      out.writeFieldName(VALUE);
      anyValue(value.getValue());
    }
    out.writeEndObject();
  }

  private void anyValue(AnyValue value) throws IOException {
    out.writeStartObject();
    // A one-of member is printed when set, even with its default value ("", 0, false).
    switch (value.getValueCase()) {
      case STRING_VALUE -> {
        out.writeFieldName(STRING_VALUE);
        out.writeString(value.getStringValue());
      }
      case BOOL_VALUE -> {
        out.writeFieldName(BOOL_VALUE);
        out.writeBoolean(value.getBoolValue());
      }
      case INT_VALUE -> {
        out.writeFieldName(INT_VALUE);
        long number = value.getIntValue();
        // -Long.MIN_VALUE is itself, which as unsigned is the right magnitude.
        decimalString(number < 0, number < 0 ? -number : number);
      }
      case DOUBLE_VALUE -> {
        out.writeFieldName(DOUBLE_VALUE);
        out.writeNumber(value.getDoubleValue());
      }
      case ARRAY_VALUE -> {
        out.writeFieldName(ARRAY_VALUE);
        arrayValue(value.getArrayValue());
      }
      case KVLIST_VALUE -> {
        out.writeFieldName(KVLIST_VALUE);
        keyValueList(value.getKvlistValue());
      }
      case BYTES_VALUE -> {
        out.writeFieldName(BYTES_VALUE);
        bytes(value.getBytesValue());
      }
      case VALUE_NOT_SET -> {}
    }
    out.writeEndObject();
  }

  private void arrayValue(ArrayValue value) throws IOException {
    out.writeStartObject();
    if (value.getValuesCount() > 0) {
      out.writeFieldName(VALUES);
      out.writeStartArray();
      for (AnyValue element : value.getValuesList()) {
        anyValue(element);
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private void keyValueList(KeyValueList value) throws IOException {
    out.writeStartObject();
    attributes(VALUES, value.getValuesList());
    out.writeEndObject();
  }

  private void string(SerializedString field, String value) throws IOException {
    if (!value.isEmpty()) {
      out.writeFieldName(field);
      out.writeString(value);
    }
  }

  private void strings(SerializedString field, List<String> values) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    out.writeFieldName(field);
    out.writeStartArray();
    for (String value : values) {
      out.writeString(value);
    }
    out.writeEndArray();
  }

  private void signed32(SerializedString field, int value) throws IOException {
    if (value != 0) {
      out.writeFieldName(field);
      out.writeNumber(value);
    }
  }

  /** uint32 and fixed32: a JSON number, read as unsigned (0xffffffff is 4294967295). */
  private void unsigned32(SerializedString field, int value) throws IOException {
    if (value != 0) {
      out.writeFieldName(field);
      out.writeNumber(Integer.toUnsignedLong(value));
    }
  }

  /** fixed64: a decimal string, read as unsigned, as JsonFormat prints it. */
  private void unsigned64(SerializedString field, long value) throws IOException {
    if (value != 0) {
      out.writeFieldName(field);
      decimalString(false, value);
    }
  }

  private void decimalString(boolean negative, long unsignedMagnitude) throws IOException {
    int start = scratch.length;
    long rest = unsignedMagnitude;
    if (rest < 0) { // above Long.MAX_VALUE as unsigned: peel off the last digit first
      long quotient = Long.divideUnsigned(rest, 10);
      scratch[--start] = (char) ('0' + (rest - quotient * 10));
      rest = quotient;
    }
    do {
      scratch[--start] = (char) ('0' + rest % 10);
      rest /= 10;
    } while (rest != 0);
    if (negative) {
      scratch[--start] = '-';
    }
    out.writeString(scratch, start, scratch.length - start);
  }

  private void id(SerializedString field, ByteString value) throws IOException {
    int size = value.size();
    if (size == 0) {
      return;
    }
    char[] digits = 2 * size <= scratch.length ? scratch : new char[2 * size];
    for (int i = 0; i < size; i++) {
      int b = value.byteAt(i);
      digits[2 * i] = HEX_DIGITS[(b >> 4) & 0xf];
      digits[2 * i + 1] = HEX_DIGITS[b & 0xf];
    }
    out.writeFieldName(field);
    out.writeString(digits, 0, 2 * size);
  }

  private void bytes(ByteString value) throws IOException {
    // Standard alphabet with padding, no line feeds: what JsonFormat prints and parses.
    byte[] raw = value.toByteArray();
    out.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, raw, 0, raw.length);
  }

  private static SerializedString name(String jsonName) {
    return new SerializedString(jsonName);
  }
}
