package dev.cairn.operator.topics;

import java.util.Map;

/** A topic the spec asks for, on the Kafka cluster at {@code bootstrapServers}. */
public record DesiredTopic(
    String bootstrapServers,
    String name,
    int partitions,
    short replicationFactor,
    Map<String, String> configs) {}
