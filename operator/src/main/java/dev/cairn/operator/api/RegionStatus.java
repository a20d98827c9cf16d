package dev.cairn.operator.api;

import java.util.List;

/** One region: ready when every component has all its replicas ready and updated. */
public record RegionStatus(String name, Boolean ready, List<ComponentStatus> components) {}
