package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Replicas and resources of one component of a region. */
public record ComponentSpec(
    @Min(1) @Max(Defaults.MAX_REPLICAS) @JsonPropertyDescription("Number of pods.")
        Integer replicas,
    @JsonPropertyDescription("CPU and memory requests and limits of the component's container.")
        ResourceRequirements resources) {}
