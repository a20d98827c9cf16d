package dev.cairn.operator.api;

/** One component's Deployment as last observed. */
public record ComponentStatus(
    String name,
    Integer desiredReplicas,
    Integer readyReplicas,
    Integer updatedReplicas,
    Boolean ready) {}
