package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
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
    boolean found =
        trace.anySpan(
            (service, resource, span) ->
                matches(span.getAttributesList())
                    || matches(resource.getResource().getAttributesList()));
    return found ? keep : Optional.empty();
  }

  private boolean matches(List<KeyValue> attributes) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key) && condition.matches(attribute.getValue())) {
        return true;
      }
    }
    return false;
  }
}
