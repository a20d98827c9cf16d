package dev.cairn.sampler.policy;

import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.SamplingPolicy;
import java.util.List;
import java.util.Optional;

/**
 * The configured policies in order, the first that matches deciding, and the base rate for the
 * traces none matched.
 */
public final class PolicyChain implements SamplingPolicy {

  private final List<TracePolicy> policies;
  private final BaseRatePolicy baseRate;

  public PolicyChain(List<TracePolicy> policies, BaseRatePolicy baseRate) {
    this.policies = List.copyOf(policies);
    this.baseRate = baseRate;
  }

  @Override
  public SamplingDecision decide(AssembledTrace trace) {
    for (TracePolicy policy : policies) {
      Optional<SamplingDecision> decision = policy.evaluate(trace);
      if (decision.isPresent()) {
        return decision.get();
      }
    }
    return baseRate.decide(trace);
  }

  /** Number of policies before the base rate. */
  public int size() {
    return policies.size();
  }

  public double baseRate() {
    return baseRate.rate();
  }
}
