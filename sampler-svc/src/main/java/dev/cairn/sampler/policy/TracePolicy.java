package dev.cairn.sampler.policy;

import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import java.util.Optional;

/** One tail-sampling rule: a decision for the traces it matches, empty for the others. */
@FunctionalInterface
public interface TracePolicy {
  Optional<SamplingDecision> evaluate(AssembledTrace trace);
}
