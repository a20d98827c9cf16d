package dev.cairn.model.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.model.TraceId;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka wire format between Cairn's stages (docs/architecture.md): the record value is an OTLP
 * {@link TracesData} holding spans of exactly one trace, the key is the trace id's 16 raw bytes, so
 * that Kafka's default partitioner puts a whole trace on one partition.
 */
public final class TraceWireCodec {

  /**
   * Largest record value Cairn's producers write by default (1 MiB); producers' {@code
   * max.request.size} and the topics' {@code max.message.bytes} leave room for it.
   */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  /**
   * Most a resource or scope group adds around its own fields: the tag of its field (one byte, the
   * field numbers are below 16) and the length prefix (a varint, at most five bytes).
   */
  static final int GROUP_FRAME_BYTES = 1 + 5;

  private TraceWireCodec() {}

  public static byte[] key(TraceId traceId) {
    return traceId.toBytes();
  }

  public static TraceId traceIdOfKey(byte[] key) {
    return TraceId.fromBytes(key);
  }

  public static byte[] encode(TracesData data) {
    return data.toByteArray();
  }

  /**
   * @throws MalformedRecordException when the bytes are not a TracesData message
   */
  public static TracesData decode(byte[] value) {
    try {
      return TracesData.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException("record value is not an OTLP TracesData message", e);
    }
  }

  /**
   * Cuts resource spans into wire records: one part per trace id, in order of first appearance, and
   * more than one when a trace's spans do not fit in {@code maxRecordBytes}: then its parts follow
   * each other and keep the order of its spans, so that published with the same key they land on
   * one partition in order. Every part encodes to at most {@code maxRecordBytes} and keeps the
   * resource and scope (with their schema URLs) that its spans came with. A span that does not fit
   * even alone is left out and counted in {@link TraceSplit#oversizedSpans()}.
   *
   * <p>Sizes come from protobuf's memoised {@code getSerializedSize}, nothing is encoded here; the
   * length prefix of each resource and scope group is counted at its largest (see {@link
   * #GROUP_FRAME_BYTES}), so a part may come out a few bytes under the bound, never over.
   *
   * <p>Span ids are not checked here: callers validate first; a span whose trace id is not 16 bytes
   * is an {@link IllegalArgumentException}.
   */
  public static TraceSplit splitByTrace(List<ResourceSpans> resourceSpansList, int maxRecordBytes) {
    Map<ByteString, List<PartBuilder>> byTrace = new LinkedHashMap<>();
    int oversized = 0;
    for (ResourceSpans resourceSpans : resourceSpansList) {
      int resourceBytes =
          GROUP_FRAME_BYTES
              + CodedOutputStream.computeMessageSize(
                  ResourceSpans.RESOURCE_FIELD_NUMBER, resourceSpans.getResource())
              + stringFieldBytes(
                  ResourceSpans.SCHEMA_URL_FIELD_NUMBER, resourceSpans.getSchemaUrl());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        int scopeBytes =
            GROUP_FRAME_BYTES
                + CodedOutputStream.computeMessageSize(
                    ScopeSpans.SCOPE_FIELD_NUMBER, scopeSpans.getScope())
                + stringFieldBytes(ScopeSpans.SCHEMA_URL_FIELD_NUMBER, scopeSpans.getSchemaUrl());
        for (Span span : scopeSpans.getSpansList()) {
          int spanBytes = CodedOutputStream.computeMessageSize(ScopeSpans.SPANS_FIELD_NUMBER, span);
          if ((long) resourceBytes + scopeBytes + spanBytes > maxRecordBytes) {
            oversized++;
            continue;
          }
          List<PartBuilder> parts =
              byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>(1));
          PartBuilder current = parts.isEmpty() ? null : parts.get(parts.size() - 1);
          long bytesWith =
              current == null
                  ? Long.MAX_VALUE
                  : current.bytesWith(
                      resourceSpans, resourceBytes, scopeSpans, scopeBytes, spanBytes);
          if (bytesWith > maxRecordBytes) {
            current = new PartBuilder();
            parts.add(current);
            bytesWith = resourceBytes + scopeBytes + spanBytes;
          }
          current.add(resourceSpans, scopeSpans, span, bytesWith);
        }
      }
    }
    List<TracePart> result = new ArrayList<>(byTrace.size());
    byTrace.forEach(
        (id, parts) -> {
          TraceId traceId = TraceId.fromBytes(id.toByteArray());
          for (PartBuilder part : parts) {
            result.add(new TracePart(traceId, part.build(), part.spanCount));
          }
        });
    return new TraceSplit(result, oversized);
  }

  private static int stringFieldBytes(int fieldNumber, String value) {
    return value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(fieldNumber, value);
  }

  /**
   * Groups a trace's spans under the resource and scope they arrived with, and keeps an upper bound
   * of its encoded size. The enclosing messages are compared by identity: protobuf equals() would
   * compare whole span lists.
   */
  private static final class PartBuilder {
    private final Map<ResourceSpans, List<ScopeGroup>> byResource = new IdentityHashMap<>();
    private final List<ResourceSpans> resourceOrder = new ArrayList<>();
    private int spanCount;
    private long bytes;

    /** The size bound of this part with the span added. */
    long bytesWith(
        ResourceSpans resourceSpans,
        int resourceBytes,
        ScopeSpans scopeSpans,
        int scopeBytes,
        int spanBytes) {
      List<ScopeGroup> scopes = byResource.get(resourceSpans);
      if (scopes == null) {
        return bytes + resourceBytes + scopeBytes + spanBytes;
      }
      return bytes + (group(scopes, scopeSpans) == null ? scopeBytes : 0) + spanBytes;
    }

    void add(ResourceSpans resourceSpans, ScopeSpans scopeSpans, Span span, long bytesWith) {
      List<ScopeGroup> scopes = byResource.get(resourceSpans);
      if (scopes == null) {
        scopes = new ArrayList<>(2);
        byResource.put(resourceSpans, scopes);
        resourceOrder.add(resourceSpans);
      }
      ScopeGroup group = group(scopes, scopeSpans);
      if (group == null) {
        group = new ScopeGroup(scopeSpans);
        scopes.add(group);
      }
      group.out.addSpans(span);
      spanCount++;
      bytes = bytesWith;
    }

    private static ScopeGroup group(List<ScopeGroup> scopes, ScopeSpans scopeSpans) {
      for (ScopeGroup candidate : scopes) {
        if (candidate.source == scopeSpans) {
          return candidate;
        }
      }
      return null;
    }

    TracesData build() {
      TracesData.Builder data = TracesData.newBuilder();
      for (ResourceSpans resourceSpans : resourceOrder) {
        ResourceSpans.Builder out =
            ResourceSpans.newBuilder()
                .setResource(resourceSpans.getResource())
                .setSchemaUrl(resourceSpans.getSchemaUrl());
        byResource.get(resourceSpans).forEach(group -> out.addScopeSpans(group.out));
        data.addResourceSpans(out);
      }
      return data.build();
    }
  }

  private static final class ScopeGroup {
    final ScopeSpans source;
    final ScopeSpans.Builder out;

    ScopeGroup(ScopeSpans source) {
      this.source = source;
      this.out =
          ScopeSpans.newBuilder().setScope(source.getScope()).setSchemaUrl(source.getSchemaUrl());
    }
  }
}
