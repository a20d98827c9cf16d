package dev.cairn.operator.api;

/**
 * A topic as the operator left it; {@code message} says why it differs from the spec, if it does.
 */
public record TopicStatus(String name, Integer partitions, String message) {}
