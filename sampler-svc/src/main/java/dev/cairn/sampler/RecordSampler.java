package dev.cairn.sampler;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.TraceSplit;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The sampler's one entry point: a wire record (key = trace id, value = TracesData of that trace)
 * in, what to do with it out. Pure and thread-safe; knows nothing of Kafka. A kept record's value
 * is the received bytes, unchanged, unless the policy rewrites tracestate; a rewritten record that
 * outgrew {@code maxRecordBytes} is cut into several (same key, span order kept), as the collector
 * cuts a large trace, so that the producer never refuses it for good.
 */
public final class RecordSampler {

  private final SamplingPolicy policy;
  private final int maxRecordBytes;

  public RecordSampler(SamplingPolicy policy) {
    this(policy, TraceWireCodec.DEFAULT_MAX_RECORD_BYTES);
  }

  public RecordSampler(SamplingPolicy policy, int maxRecordBytes) {
    this.policy = policy;
    this.maxRecordBytes = maxRecordBytes;
  }

  public RecordOutcome process(byte[] key, byte[] value) {
    if (key == null || key.length != TraceId.BYTES) {
      return new RecordOutcome.Rejected(
          RejectReason.INVALID_KEY,
          "key must be the 16 bytes of a trace id, got "
              + (key == null ? "none" : key.length + " bytes"));
    }
    if (value == null) {
      return new RecordOutcome.Rejected(RejectReason.INVALID_VALUE, "record has no value");
    }
    TracesData data;
    try {
      data = TraceWireCodec.decode(value);
    } catch (MalformedRecordException e) {
      return new RecordOutcome.Rejected(RejectReason.INVALID_VALUE, e.getMessage());
    }
    TraceBatch trace = TraceBatch.of(TraceWireCodec.traceIdOfKey(key), data);
    if (trace.spanCount() == 0) {
      return new RecordOutcome.Rejected(RejectReason.INVALID_VALUE, "record holds no spans");
    }
    SamplingDecision decision = policy.decide(trace);
    if (!decision.keep()) {
      return new RecordOutcome.Dropped(decision.reason(), trace.spanCount());
    }
    List<byte[]> out =
        decision
            .traceStateUpdate()
            .map(update -> fit(rewrite(data, update), value))
            .orElse(List.of(value));
    return new RecordOutcome.Kept(
        key, out, decision.retention(), decision.reason(), trace.spanCount());
  }

  /**
   * The rewritten record, cut into parts when it outgrew a record. Should a single span no longer
   * fit (it was within the limit before the rewrite, which adds a few bytes to its tracestate), the
   * received record goes on unchanged rather than losing the span.
   */
  private List<byte[]> fit(TracesData rewritten, byte[] received) {
    if (rewritten.getSerializedSize() <= maxRecordBytes) {
      return List.of(TraceWireCodec.encode(rewritten));
    }
    TraceSplit split =
        TraceWireCodec.splitByTrace(rewritten.getResourceSpansList(), maxRecordBytes);
    if (split.oversizedSpans() > 0) {
      return List.of(received);
    }
    List<byte[]> parts = new ArrayList<>(split.parts().size());
    split.parts().forEach(part -> parts.add(TraceWireCodec.encode(part.data())));
    return parts;
  }

  private static TracesData rewrite(TracesData data, UnaryOperator<String> update) {
    TracesData.Builder builder = data.toBuilder();
    for (ResourceSpans.Builder rs : builder.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          span.setTraceState(update.apply(span.getTraceState()));
        }
      }
    }
    return builder.build();
  }
}
