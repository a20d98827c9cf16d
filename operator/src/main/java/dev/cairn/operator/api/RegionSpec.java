package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** One region's pipeline: where its pods run and how many of each component. */
public record RegionSpec(
    @Required
        @Pattern(Defaults.DNS_LABEL)
        @Size(min = 1, max = Defaults.MAX_REGION_NAME)
        @JsonPropertyDescription(
            "Region name (a DNS label): part of every object's name, of the topic names, and"
                + " the cairn.region attribute the gateways add to every span.")
        String name,
    @JsonPropertyDescription(
            "Node labels the region's pods must match, e.g. topology.kubernetes.io/region.")
        Map<String, String> nodeSelector,
    @JsonPropertyDescription(
            "Node label the region's replicas are spread over (default"
                + " topology.kubernetes.io/zone).")
        String topologySpreadKey,
    @JsonPropertyDescription(
            "Kafka bootstrap servers of this region, when it has a Kafka cluster of its own.")
        String kafkaBootstrapServers,
    @JsonPropertyDescription("The OTLP collector gateways.") CollectorSpec collector,
    @JsonPropertyDescription("Tail sampling (sampler-svc).") ComponentSpec sampler,
    @JsonPropertyDescription("Writers to TimescaleDB (storage-svc).") ComponentSpec storage,
    @JsonPropertyDescription("The query API and UI (query-svc).") ComponentSpec query) {}
