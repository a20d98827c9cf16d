package dev.cairn.sampler;

import dev.cairn.model.TraceId;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;

/**
 * Sees every assembled trace once, when the sampler deems it complete and before its tail decision
 * (so that what it computes, such as span metrics, counts dropped traces too). What it accumulated
 * is drained into the same Kafka transaction as the decisions and the consumed offsets, so that a
 * replay after a crash neither loses nor double-counts it. Called from the sampling thread only.
 * Spans that arrive after their trace was decided (late spans) follow the decision but are not
 * shown again.
 */
public interface CompletedTraceObserver {

  /** One complete trace: every part that arrived for it, in arrival order. */
  void observe(TraceId traceId, List<TracesData> parts);

  /** What was accumulated since the last drain, as records to publish; empties the observer. */
  List<OutboundRecord> drain();

  /** A record to publish to the observer's own topic; {@code key} may be null. */
  record OutboundRecord(String topic, byte[] key, byte[] value) {}
}
