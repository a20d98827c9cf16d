package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The Kafka cluster and the shape of the topics the operator creates on it. */
@ValidationRule(
    value =
        "!has(self.minInSyncReplicas) || !has(self.replicationFactor)"
            + " || self.minInSyncReplicas <= self.replicationFactor",
    message = "minInSyncReplicas must not exceed replicationFactor")
public record KafkaSpec(
    @Required @JsonPropertyDescription("Bootstrap servers, host:port[,host:port...].")
        String bootstrapServers,
    @Pattern(Defaults.TOPIC_PREFIX)
        @JsonPropertyDescription(
            "Prefix of every topic name, before the region: <prefix><region>.cairn.spans.ingested.")
        String topicPrefix,
    @Min(1)
        @Max(Defaults.MAX_PARTITIONS)
        @JsonPropertyDescription(
            "Partitions per topic. Topics are grown to this, never shrunk; a partition is the"
                + " unit a sampler or storage replica takes.")
        Integer partitions,
    @Min(1)
        @Max(Defaults.MAX_REPLICATION_FACTOR)
        @JsonPropertyDescription("Replicas per partition.")
        Integer replicationFactor,
    @Min(1) @Max(Defaults.MAX_REPLICATION_FACTOR) Integer minInSyncReplicas) {}
