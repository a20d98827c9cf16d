package dev.cairn.sampler;

import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.wire.TraceSplit;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record values to publish for a kept record: the received bytes, unchanged, unless the
 * decision writes the sampling threshold into each span's tracestate; a rewritten record that
 * outgrew {@code maxRecordBytes} is cut into several (same key, span order kept), as the collector
 * cuts a large trace, so that the producer never refuses it for good.
 */
final class KeptRecords {

  private final int maxRecordBytes;
  private final Map<Double, ConsistentSampler> samplers = new HashMap<>();

  KeptRecords(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** What to publish for one received record ({@code parsed} is {@code received}, decoded). */
  List<byte[]> values(SamplingDecision decision, TracesData parsed, byte[] received) {
    if (!decision.rewritesTraceState()) {
      return List.of(received);
    }
    ConsistentSampler sampler =
        samplers.computeIfAbsent(decision.probability(), ConsistentSampler::withProbability);
    return fit(rewrite(parsed, sampler), received);
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

  private static TracesData rewrite(TracesData data, ConsistentSampler sampler) {
    TracesData.Builder builder = data.toBuilder();
    for (ResourceSpans.Builder rs : builder.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          span.setTraceState(sampler.traceStateForKept(span.getTraceState()));
        }
      }
    }
    return builder.build();
  }
}
