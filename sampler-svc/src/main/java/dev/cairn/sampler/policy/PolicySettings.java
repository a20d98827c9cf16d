package dev.cairn.sampler.policy;

import dev.cairn.sampler.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policies that {@code cairn.sampler.*} settings give when no policy file is configured (or the
 * configured one never parsed): errors, then slow traces over {@code latencyThreshold}, then the
 * debug attributes, each kept with extended retention; the rest at {@code baseRate}. A policy file
 * replaces the list; its {@code base-rate}, when set, replaces {@code baseRate}.
 */
public record PolicySettings(
    double baseRate, Optional<Duration> latencyThreshold, Set<String> debugAttributes) {

  public PolicySettings {
    debugAttributes = Set.copyOf(debugAttributes);
  }

  public PolicyChain defaultChain() {
    List<TracePolicy> policies = new ArrayList<>();
    policies.add(new ErrorPolicy("error"));
    latencyThreshold.ifPresent(
        threshold -> policies.add(new LatencyPolicy("latency", threshold, Map.of(), Map.of())));
    if (!debugAttributes.isEmpty()) {
      policies.add(new DebugPolicy("debug", debugAttributes));
    }
    return new PolicyChain(policies, new BaseRatePolicy(baseRate));
  }

  /** The chain of a policy file's content, on these settings' base rate by default. */
  public PolicyChain parse(String fileName, byte[] content, Ticker ticker) {
    return PolicyFile.parse(fileName, content, baseRate, ticker);
  }
}
