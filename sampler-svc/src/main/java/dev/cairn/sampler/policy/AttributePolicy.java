package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import java.util.Optional;

/**
 * A trace is kept when one of its spans, or the resource of one, has the attribute with a matching
 * value; the retention class is configured.
 */
public final class AttributePolicy implements TracePolicy {

  private final String key;
  private final AttributeCondition condition;
  private final Optional<SamplingDecision> keep;

  public AttributePolicy(
      String name, String key, AttributeCondition condition, RetentionClass retention) {
    this.key = key;
    this.condition = condition;
    this.keep = Optional.of(SamplingDecision.keep(name, retention));
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    return trace.anyAttribute((name, value) -> name.equals(key) && condition.matches(value))
        ? keep
        : Optional.empty();
  }
}
