package dev.cairn.sampler;

import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.wire.RetentionClass;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Consistent probability sampling ({@link ConsistentSampler}): the decision is a pure function of
 * the trace id (or the trace's {@code ot=rv}) and the configured probability, honouring an upstream
 * {@code ot=th}. Below probability 1, kept spans get the effective {@code th} in their tracestate
 * so that downstream metrics can weigh them by their adjusted count; at probability 1 spans pass
 * unchanged.
 */
public final class ProbabilisticPolicy implements SamplingPolicy {

  public static final String REASON = "probabilistic";

  private final ConsistentSampler sampler;
  private final Optional<UnaryOperator<String>> update;

  public ProbabilisticPolicy(double probability) {
    this.sampler = ConsistentSampler.withProbability(probability);
    this.update = probability < 1.0 ? Optional.of(sampler::traceStateForKept) : Optional.empty();
  }

  @Override
  public SamplingDecision decide(TraceBatch trace) {
    if (sampler.keeps(trace.traceId(), trace.traceState())) {
      return SamplingDecision.keep(REASON, RetentionClass.STANDARD, update);
    }
    return SamplingDecision.drop(REASON);
  }
}
