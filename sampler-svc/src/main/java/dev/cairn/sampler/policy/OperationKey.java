package dev.cairn.sampler.policy;

/** A service's operation (span name), as per-operation rules name it. */
public record OperationKey(String service, String operation) {}
