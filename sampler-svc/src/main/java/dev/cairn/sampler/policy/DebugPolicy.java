package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Optional;
import java.util.Set;

/**
 * A trace someone asked to see is kept, with extended retention: a span or its resource carries one
 * of the debug attributes (by default {@code cairn.debug}; list here the attribute a baggage span
 * processor copies a baggage entry into, e.g. {@code baggage.cairn.debug}) set to {@code true}, as
 * a boolean or as the string "true".
 */
public final class DebugPolicy implements TracePolicy {

  public static final String DEFAULT_ATTRIBUTE = "cairn.debug";

  private final Set<String> keys;
  private final Optional<SamplingDecision> keep;

  public DebugPolicy(String name, Set<String> keys) {
    this.keys = Set.copyOf(keys);
    this.keep = Optional.of(SamplingDecision.keep(name, RetentionClass.EXTENDED));
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    return trace.anyAttribute((name, value) -> keys.contains(name) && isTrue(value))
        ? keep
        : Optional.empty();
  }

  private static boolean isTrue(AnyValue value) {
    return value.hasBoolValue()
        ? value.getBoolValue()
        : value.hasStringValue() && value.getStringValue().equalsIgnoreCase("true");
  }
}
