package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The agent sidecar: what is injected, and into which pods. */
public record AgentSpec(
    @JsonPropertyDescription("Agent image; default: the collector image.") String image,
    @JsonPropertyDescription("Requests and limits of the agent container.")
        ResourceRequirements resources,
    @Min(Defaults.MIN_AGENT_QUEUE_BYTES)
        @Max(Defaults.MAX_AGENT_QUEUE_BYTES)
        @JsonPropertyDescription(
            "Bytes of spans the agent buffers while no gateway answers; beyond, spans are"
                + " dropped and counted.")
        Long queueBytes,
    @JsonPropertyDescription("Namespaces whose opted-in pods are injected; empty: every namespace.")
        List<String> namespaces,
    @Pattern(Defaults.DNS_LABEL)
        @JsonPropertyDescription(
            "Region whose gateways injected agents send to (default: the first region).")
        String region,
    @JsonPropertyDescription(
            "Image holding the OpenTelemetry Java agent at /javaagent.jar, copied into pods"
                + " labelled cairn.dev/instrument=java.")
        String javaAgentImage,
    @JsonPropertyDescription(
            "Restart the Deployments, StatefulSets and DaemonSets of opted-in pods that lack the"
                + " agent, so that they are injected (default false: only listed in the status).")
        Boolean restartMissedPods) {}
