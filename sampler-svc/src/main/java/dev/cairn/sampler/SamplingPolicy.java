package dev.cairn.sampler;

/**
 * Port: decides whether a complete trace is kept. Called once per trace, on the sampling thread.
 * Implementations other than rate limits are pure: the same trace gives the same decision on every
 * replica (the probabilistic parts are a function of the trace id, see {@code ConsistentSampler}).
 */
@FunctionalInterface
public interface SamplingPolicy {
  SamplingDecision decide(AssembledTrace trace);
}
