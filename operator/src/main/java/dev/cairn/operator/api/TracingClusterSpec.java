package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What a {@link TracingCluster} asks for. Optional fields take the defaults in {@link Defaults}.
 */
@ValidationRule(
    value = "self.regions.all(r, self.regions.exists_one(o, o.name == r.name))",
    message = "region names must be unique",
    fieldPath = ".regions")
public record TracingClusterSpec(
    @Required
        @Size(min = 1, max = Defaults.MAX_REGIONS)
        @JsonPropertyDescription(
            "Regions to run a pipeline in: one set of collector gateways, samplers, storage and"
                + " query per region.")
        List<RegionSpec> regions,
    @Required @JsonPropertyDescription("The Kafka cluster the pipeline's topics live on.")
        KafkaSpec kafka,
    @Required @JsonPropertyDescription("Where storage-svc writes and query-svc reads.")
        TimescaleDbSpec timescaledb,
    @JsonPropertyDescription("Head sampling in the agents, tail sampling in sampler-svc.")
        SamplingSpec sampling,
    @JsonPropertyDescription("How long traces of each retention tier, and aggregates, are kept.")
        RetentionSpec retention,
    @JsonPropertyDescription("The agent sidecar injected into opted-in pods.") AgentSpec agent,
    @JsonPropertyDescription("Container images of the components and their pull policy.")
        ImagesSpec images) {}
