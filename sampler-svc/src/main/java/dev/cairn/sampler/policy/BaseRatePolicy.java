package dev.cairn.sampler.policy;

import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;

/**
 * The traces no other policy matched: kept with the base rate by {@code ConsistentSampler}, a pure
 * function of the trace id (or its {@code ot=rv}) that honours an upstream {@code th}, so every
 * replica keeps the same ones.
 */
public final class BaseRatePolicy {

  public static final String REASON = "base_rate";

  private final ConsistentProbability probability;

  public BaseRatePolicy(double rate) {
    this.probability = new ConsistentProbability(REASON, rate);
  }

  public double rate() {
    return probability.rate();
  }

  SamplingDecision decide(AssembledTrace trace) {
    return probability.decide(trace);
  }
}
