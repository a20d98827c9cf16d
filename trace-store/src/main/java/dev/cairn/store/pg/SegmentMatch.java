package dev.cairn.store.pg;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.cairn.model.Attribute;
import dev.cairn.model.Resource;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.store.TraceQuery;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a segment holds a span that meets a search's span criteria ({@link SpanCriteria}), read
 * off its OTLP TracesData bytes instead of its decoded spans: a resource whose service is not the
 * query's is skipped whole, of each other span only its start, end and name are read, and only a
 * span that passes those has its attributes (and its resource's) decoded for the tags. The recheck
 * of a search decodes every candidate segment, and decoding them into model spans was on the stack
 * of about 70 % of query-svc's execution samples in a duration search at 50 M spans
 * (docs/benchmarks.md section 13, "The recheck off the segment's bytes").
 */
final class SegmentMatch {

  private static final int RESOURCE_SPANS = delimited(TracesData.RESOURCE_SPANS_FIELD_NUMBER);
  private static final int RESOURCE = delimited(ResourceSpans.RESOURCE_FIELD_NUMBER);
  private static final int SCOPE_SPANS = delimited(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER);
  private static final int SPANS = delimited(ScopeSpans.SPANS_FIELD_NUMBER);
  private static final int NAME = delimited(Span.NAME_FIELD_NUMBER);
  private static final int START = fixed64(Span.START_TIME_UNIX_NANO_FIELD_NUMBER);
  private static final int END = fixed64(Span.END_TIME_UNIX_NANO_FIELD_NUMBER);

  private SegmentMatch() {}

  /**
   * @param tracesData a segment's spans as {@link SegmentCodec#decompress} returns them
   * @throws IllegalStateException when the bytes are not a TracesData message
   */
  static boolean anyMatches(TraceQuery query, byte[] tracesData) {
    long fromMicros = SpanCriteria.fromMicros(query);
    try {
      // unsafeWrap shares the array: it is only read
      CodedInputStream in = input(UnsafeByteOperations.unsafeWrap(tracesData));
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != RESOURCE_SPANS) {
          in.skipField(tag);
        } else if (resourceSpansMatch(query, fromMicros, in.readBytes())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("segment payload does not decode: " + e.getMessage(), e);
    }
  }

  private static boolean resourceSpansMatch(
      TraceQuery query, long fromMicros, ByteString resourceSpans) throws IOException {
    ByteString resource = ByteString.EMPTY;
    List<ByteString> scopes = new ArrayList<>();
    CodedInputStream in = input(resourceSpans);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == RESOURCE) {
        // a resource in two parts parses as one message, the parts merged, as protobuf does
        resource = resource.concat(in.readBytes());
      } else if (tag == SCOPE_SPANS) {
        scopes.add(in.readBytes());
      } else {
        in.skipField(tag);
      }
    }
    List<Attribute> resourceAttributes = List.of();
    if (query.service().isPresent() || !query.tags().isEmpty()) {
      resourceAttributes =
          OtlpSpanMapper.toAttributes(
              io.opentelemetry.proto.resource.v1.Resource.parseFrom(resource).getAttributesList());
      if (!SpanCriteria.serviceMatches(
          query, new Resource(resourceAttributes, 0, "").serviceName())) {
        return false;
      }
    }
    for (ByteString scope : scopes) {
      CodedInputStream spans = input(scope);
      for (int tag = spans.readTag(); tag != 0; tag = spans.readTag()) {
        if (tag != SPANS) {
          spans.skipField(tag);
        } else if (spanMatches(query, fromMicros, spans.readBytes(), resourceAttributes)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean spanMatches(
      TraceQuery query, long fromMicros, ByteString span, List<Attribute> resourceAttributes)
      throws IOException {
    long start = 0;
    long end = 0;
    ByteString name = ByteString.EMPTY;
    CodedInputStream in = input(span);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == START) {
        start = in.readFixed64();
      } else if (tag == END) {
        end = in.readFixed64();
      } else if (tag == NAME) {
        name = in.readBytes();
      } else {
        in.skipField(tag);
      }
    }
    if (!SpanCriteria.startsInWindow(fromMicros, start)
        || !SpanCriteria.durationMatches(query, end - start)
        || query.operation().isPresent() // the name is decoded only to be compared
            && !SpanCriteria.operationMatches(query, name.toStringUtf8())) {
      return false;
    }
    return query.tags().isEmpty()
        || SpanCriteria.tagsMatch(
            query,
            OtlpSpanMapper.toAttributes(Span.parseFrom(span).getAttributesList()),
            resourceAttributes);
  }

  /** Reads {@code bytes} without copying: length-delimited fields are views of the same array. */
  private static CodedInputStream input(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  private static int delimited(int field) {
    return tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  }

  private static int fixed64(int field) {
    return tag(field, WireFormat.WIRETYPE_FIXED64);
  }

  /** A field's tag on the wire: its number, then three bits of wire type (protobuf's encoding). */
  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }
}
