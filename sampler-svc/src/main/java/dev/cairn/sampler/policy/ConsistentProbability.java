package dev.cairn.sampler.policy;

import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;

/** Keep or drop at one probability, consistently: the decisions that rate rules hand out. */
final class ConsistentProbability {

  private final ConsistentSampler sampler;
  private final SamplingDecision keep;
  private final SamplingDecision drop;

  ConsistentProbability(String reason, double rate) {
    this.sampler = ConsistentSampler.withProbability(rate);
    this.keep = rate > 0 ? SamplingDecision.sampled(reason, rate) : null;
    this.drop = SamplingDecision.drop(reason);
  }

  double rate() {
    return sampler.probability();
  }

  SamplingDecision decide(AssembledTrace trace) {
    return sampler.keeps(trace.traceId(), trace.traceState()) ? keep : drop;
  }
}
