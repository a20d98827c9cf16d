package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Which attribute values an attribute policy keeps: exactly one way of matching. */
@ValidationRule(
    value =
        "[has(self.value), has(self.regex), has(self.min) || has(self.max), has(self.bool)]"
            + ".filter(x, x).size() == 1",
    message = "give exactly one of value, regex, min/max or bool")
public record AttributeMatchSpec(
    @Required String key,
    @JsonPropertyDescription("Exact string value.") String value,
    @JsonPropertyDescription("Regular expression the string value matches.") String regex,
    @JsonPropertyDescription("Numeric range, inclusive.") Double min,
    Double max,
    @JsonPropertyDescription("Boolean value.") Boolean bool) {}
