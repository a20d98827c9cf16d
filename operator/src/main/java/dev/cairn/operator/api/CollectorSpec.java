package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The collector gateways of a region: fixed replicas, or a range the autoscaler moves in. */
public record CollectorSpec(
    @Min(1)
        @Max(Defaults.MAX_REPLICAS)
        @JsonPropertyDescription("Number of pods while autoscaling is off.")
        Integer replicas,
    @JsonPropertyDescription("CPU and memory requests and limits of the gateway container.")
        ResourceRequirements resources,
    @JsonPropertyDescription("Scale the gateways on CPU (a HorizontalPodAutoscaler).")
        AutoscalingSpec autoscaling) {}
