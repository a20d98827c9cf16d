package dev.cairn.sampler.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Set;
import java.util.regex.Pattern;

/** What an attribute's value must be for {@link AttributePolicy} to match. */
public sealed interface AttributeCondition {

  boolean matches(AnyValue value);

  /** A string attribute equal to one of the values. */
  record OneOf(Set<String> values) implements AttributeCondition {
    public OneOf {
      values = Set.copyOf(values);
    }

    @Override
    public boolean matches(AnyValue value) {
      return value.hasStringValue() && values.contains(value.getStringValue());
    }
  }

  /** A string attribute the whole of which the regular expression matches. */
  record Regex(Pattern pattern) implements AttributeCondition {
    @Override
    public boolean matches(AnyValue value) {
      return value.hasStringValue() && pattern.matcher(value.getStringValue()).matches();
    }
  }

  /** An int or double attribute in {@code [min, max]}. */
  record Range(double min, double max) implements AttributeCondition {
    @Override
    public boolean matches(AnyValue value) {
      double number;
      if (value.hasIntValue()) {
        number = value.getIntValue();
      } else if (value.hasDoubleValue()) {
        number = value.getDoubleValue();
      } else {
        return false;
      }
      return number >= min && number <= max;
    }
  }

  /** A boolean attribute of this value. */
  record Bool(boolean expected) implements AttributeCondition {
    @Override
    public boolean matches(AnyValue value) {
      return value.hasBoolValue() && value.getBoolValue() == expected;
    }
  }
}
