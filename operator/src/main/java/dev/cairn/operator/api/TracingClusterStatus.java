package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator last saw of a {@link TracingCluster}. */
public record TracingClusterStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Ready, Progressing and Degraded, with reasons.")
        List<Condition> conditions,
    @JsonPropertyDescription("Readiness of each region's components.") List<RegionStatus> regions,
    @JsonPropertyDescription("The regions, comma-separated (a printer column).") String regionNames,
    @JsonPropertyDescription("Ready regions of all, e.g. 1/2 (a printer column).")
        String readyRegions,
    @JsonPropertyDescription("The Kafka topics and their partition counts.")
        List<TopicStatus> topics,
    @JsonPropertyDescription("Opted-in pods with and without the agent.") AgentStatus agent) {

  /** Conditions of {@link #conditions()}. */
  public static final String READY = "Ready";

  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
}
