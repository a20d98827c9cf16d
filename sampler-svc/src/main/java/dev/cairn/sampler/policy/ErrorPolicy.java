package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import java.util.Optional;

/** A trace with a span of status ERROR is kept, with extended retention. */
public final class ErrorPolicy implements TracePolicy {

  private final Optional<SamplingDecision> keep;

  public ErrorPolicy(String name) {
    this.keep = Optional.of(SamplingDecision.keep(name, RetentionClass.EXTENDED));
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    return trace.hasError() ? keep : Optional.empty();
  }
}
