package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The opted-in pods of the namespaces this cluster's agent serves. */
public record AgentStatus(
    @JsonPropertyDescription("Opted-in pods that run the agent.") Integer injectedPods,
    @JsonPropertyDescription(
            "Opted-in pods without the agent: created while the webhook was down, or before the"
                + " operator was installed.")
        Integer notInjectedPods,
    @JsonPropertyDescription("The first of those pods, namespace/name; restart them to inject.")
        List<String> missedPods) {}
