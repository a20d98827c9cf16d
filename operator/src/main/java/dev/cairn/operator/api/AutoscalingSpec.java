package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** CPU-based autoscaling of the collector gateways. */
@ValidationRule(
    value =
        "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not exceed maxReplicas")
public record AutoscalingSpec(
    @Required @JsonPropertyDescription("Whether the gateways are autoscaled.") Boolean enabled,
    @Min(1) @Max(Defaults.MAX_REPLICAS) Integer minReplicas,
    @Min(1) @Max(Defaults.MAX_REPLICAS) Integer maxReplicas,
    @Min(1)
        @Max(100)
        @JsonPropertyDescription("Average CPU utilisation, in percent of requests, to keep.")
        Integer targetCpuUtilization) {}
