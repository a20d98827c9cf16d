package dev.cairn.sampler;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.function.UnaryOperator;

/**
 * The sampler's one entry point: a wire record (key = trace id, value = TracesData of that trace)
 * in, what to do with it out. Pure and thread-safe; knows nothing of Kafka. A kept record's value
 * is the received bytes, unchanged, unless the policy rewrites tracestate.
 */
public final class RecordSampler {

  private final SamplingPolicy policy;

  public RecordSampler(SamplingPolicy policy) {
    this.policy = policy;
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
    byte[] out =
        decision
            .traceStateUpdate()
            .map(update -> TraceWireCodec.encode(rewrite(data, update)))
            .orElse(value);
    return new RecordOutcome.Kept(
        key, out, decision.retention(), decision.reason(), trace.spanCount());
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
