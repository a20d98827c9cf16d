package dev.cairn.sampler;

/**
 * Port: decides whether a trace is kept. Implementations are pure and thread-safe; the same input
 * gives the same decision on every replica, so that all spans of a trace share one decision
 * (architecture invariant 1). The probabilistic policy decides per record; tail policies (errors,
 * latency) will decide once per assembled trace behind the same port.
 */
@FunctionalInterface
public interface SamplingPolicy {
  SamplingDecision decide(TraceBatch trace);
}
