package dev.cairn.sampler.assembly;

import dev.cairn.model.TraceId;
import dev.cairn.sampler.SamplingDecision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decisions taken for the most recent traces, kept and dropped alike, so that a span arriving
 * after its trace was decided follows that decision instead of starting another. Bounded: least
 * recently used entries go first. Single-threaded.
 */
public final class DecisionCache {

  private final LinkedHashMap<TraceId, SamplingDecision> decisions;

  public DecisionCache(int maxTraces) {
    if (maxTraces < 1) {
      throw new IllegalArgumentException("the decision cache needs room for a trace");
    }
    this.decisions =
        new LinkedHashMap<>(Math.min(maxTraces, 1 << 16), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<TraceId, SamplingDecision> eldest) {
            return size() > maxTraces;
          }
        };
  }

  /** The decision taken for the trace, or null. */
  public SamplingDecision get(TraceId traceId) {
    return decisions.get(traceId);
  }

  public void put(TraceId traceId, SamplingDecision decision) {
    decisions.put(traceId, decision);
  }

  public int size() {
    return decisions.size();
  }
}
