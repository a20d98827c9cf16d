package dev.cairn.model.wire;

import com.google.protobuf.ByteString;
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
   * Splits resource spans into one part per trace id, in order of first appearance. Each part keeps
   * the resource and scope (with their schema URLs) that its spans came with. Span ids are not
   * checked here: callers validate first; a span whose trace id is not 16 bytes is an {@link
   * IllegalArgumentException}.
   */
  public static List<TracePart> splitByTrace(List<ResourceSpans> resourceSpansList) {
    Map<ByteString, PartBuilder> parts = new LinkedHashMap<>();
    for (ResourceSpans resourceSpans : resourceSpansList) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          parts
              .computeIfAbsent(span.getTraceId(), id -> new PartBuilder())
              .add(resourceSpans, scopeSpans, span);
        }
      }
    }
    List<TracePart> result = new ArrayList<>(parts.size());
    parts.forEach(
        (id, part) ->
            result.add(
                new TracePart(TraceId.fromBytes(id.toByteArray()), part.build(), part.spanCount)));
    return result;
  }

  /**
   * Groups a trace's spans under the resource and scope they arrived with. The enclosing messages
   * are compared by identity: protobuf equals() would compare whole span lists.
   */
  private static final class PartBuilder {
    private final Map<ResourceSpans, List<ScopeGroup>> byResource = new IdentityHashMap<>();
    private final List<ResourceSpans> resourceOrder = new ArrayList<>();
    private int spanCount;

    void add(ResourceSpans resourceSpans, ScopeSpans scopeSpans, Span span) {
      List<ScopeGroup> scopes = byResource.get(resourceSpans);
      if (scopes == null) {
        scopes = new ArrayList<>(2);
        byResource.put(resourceSpans, scopes);
        resourceOrder.add(resourceSpans);
      }
      ScopeGroup group = null;
      for (ScopeGroup candidate : scopes) {
        if (candidate.source == scopeSpans) {
          group = candidate;
          break;
        }
      }
      if (group == null) {
        group = new ScopeGroup(scopeSpans);
        scopes.add(group);
      }
      group.out.addSpans(span);
      spanCount++;
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
