package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One tail-sampling policy; which fields it needs depends on its type. */
@ValidationRule(
    value = "self.type != 'latency' || has(self.thresholdMs)",
    message = "a latency policy needs thresholdMs")
@ValidationRule(
    value = "self.type != 'probabilistic' || has(self.rate)",
    message = "a probabilistic policy needs rate")
@ValidationRule(
    value = "self.type != 'rateLimit' || has(self.tracesPerSecond)",
    message = "a rateLimit policy needs tracesPerSecond")
@ValidationRule(
    value = "self.type != 'attribute' || has(self.attribute)",
    message = "an attribute policy needs attribute")
public record TailPolicySpec(
    @Required
        @Pattern(Defaults.DNS_LABEL)
        @JsonPropertyDescription("Recorded as the decision's reason.")
        String name,
    @Required TailPolicyType type,
    @JsonPropertyDescription("Only traces whose root is of this service.") String service,
    @JsonPropertyDescription("Only traces whose root is this operation.") String operation,
    @Min(1) @JsonPropertyDescription("latency: keep traces longer than this.") Long thresholdMs,
    @Min(0) @Max(1) @JsonPropertyDescription("probabilistic: share of traces kept.") Double rate,
    @Min(0) @JsonPropertyDescription("rateLimit: traces kept per second at most.")
        Double tracesPerSecond,
    @JsonPropertyDescription("attribute: the attribute to match.") AttributeMatchSpec attribute,
    @JsonPropertyDescription("Retention tier of the traces this policy keeps (default standard).")
        RetentionTier retention) {}
