package dev.cairn.operator.model;

import dev.cairn.operator.api.AttributeMatchSpec;
import dev.cairn.operator.api.AutoscalingSpec;
import dev.cairn.operator.api.Defaults;
import dev.cairn.operator.api.KafkaSpec;
import dev.cairn.operator.api.RegionSpec;
import dev.cairn.operator.api.RetentionSpec;
import dev.cairn.operator.api.RetentionTier;
import dev.cairn.operator.api.TailPolicySpec;
import dev.cairn.operator.api.TailPolicyType;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What is wrong with a spec, field by field. The CRD's schema rejects most of this at the API
 * server; it is checked again here because a schema can be bypassed (an older API server without
 * CEL, a CRD not yet updated) and because some checks (a regex that does not compile, names that
 * grow too long together) no schema can express.
 */
public final class SpecProblems {
  /** Kubernetes object names and label values: at most 63 characters. */
  private static final int MAX_NAME = 63;

  private static final Pattern DNS_LABEL = Pattern.compile(Defaults.DNS_LABEL);
  private static final Pattern DURATION = Pattern.compile(Defaults.DURATION);

  private SpecProblems() {}

  public static List<String> of(TracingCluster cluster) {
    List<String> problems = new ArrayList<>();
    TracingClusterSpec spec = cluster.getSpec();
    if (spec == null) {
      return List.of("spec is missing");
    }
    regions(cluster.getMetadata().getName(), spec.regions(), problems);
    kafka(spec.kafka(), problems);
    if (spec.timescaledb() == null || blank(spec.timescaledb().secretName())) {
      problems.add("spec.timescaledb.secretName is required");
    }
    if (spec.retention() != null) {
      retention(spec.retention(), problems);
    }
    if (spec.sampling() != null) {
      if (spec.sampling().decisionWait() != null
          && !DURATION.matcher(spec.sampling().decisionWait()).matches()) {
        problems.add("spec.sampling.decisionWait must look like 10s, 500ms, 1m or 1h");
      }
      List<TailPolicySpec> policies = spec.sampling().policies();
      for (int i = 0; policies != null && i < policies.size(); i++) {
        policy("spec.sampling.policies[" + i + "]", policies.get(i), problems);
      }
    }
    if (spec.agent() != null && spec.agent().region() != null && spec.regions() != null) {
      if (spec.regions().stream().noneMatch(r -> spec.agent().region().equals(r.name()))) {
        problems.add("spec.agent.region " + spec.agent().region() + " is not one of spec.regions");
      }
    }
    return List.copyOf(problems);
  }

  private static void regions(String cluster, List<RegionSpec> regions, List<String> problems) {
    if (regions == null || regions.isEmpty()) {
      problems.add("spec.regions needs at least one region");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < regions.size(); i++) {
      RegionSpec region = regions.get(i);
      String at = "spec.regions[" + i + "]";
      if (region.name() == null || !DNS_LABEL.matcher(region.name()).matches()) {
        problems.add(at + ".name must be a DNS label (lower-case letters, digits, '-')");
        continue;
      }
      if (!seen.add(region.name())) {
        problems.add(at + ".name " + region.name() + " is used twice");
      }
      String longest = ObjectNames.gatewayHeadless(cluster, region.name());
      if (longest.length() > MAX_NAME) {
        problems.add(
            at
                + ".name "
                + region.name()
                + " makes object names like "
                + longest
                + " longer than "
                + MAX_NAME
                + " characters: shorten it or the resource's name");
      }
      AutoscalingSpec autoscaling =
          region.collector() == null ? null : region.collector().autoscaling();
      if (autoscaling != null
          && autoscaling.minReplicas() != null
          && autoscaling.maxReplicas() != null
          && autoscaling.minReplicas() > autoscaling.maxReplicas()) {
        problems.add(at + ".collector.autoscaling.minReplicas exceeds maxReplicas");
      }
    }
  }

  private static void kafka(KafkaSpec kafka, List<String> problems) {
    if (kafka == null || blank(kafka.bootstrapServers())) {
      problems.add("spec.kafka.bootstrapServers is required");
      return;
    }
    if (kafka.minInSyncReplicas() != null
        && kafka.minInSyncReplicas()
            > (kafka.replicationFactor() == null
                ? Defaults.REPLICATION_FACTOR
                : kafka.replicationFactor())) {
      problems.add("spec.kafka.minInSyncReplicas exceeds replicationFactor");
    }
  }

  private static void retention(RetentionSpec retention, List<String> problems) {
    int standard =
        retention.standardDays() == null ? Defaults.STANDARD_DAYS : retention.standardDays();
    int extended =
        retention.extendedDays() == null ? Defaults.EXTENDED_DAYS : retention.extendedDays();
    if (extended < standard) {
      problems.add("spec.retention.extendedDays must be at least standardDays");
    }
  }

  private static void policy(String at, TailPolicySpec policy, List<String> problems) {
    if (policy.type() == null) {
      problems.add(at + ".type is required");
      return;
    }
    scope(at, policy, problems);
    switch (policy.type()) {
      case LATENCY ->
          require(policy.thresholdMs() != null, at + " (latency) needs thresholdMs", problems);
      case PROBABILISTIC ->
          require(policy.rate() != null, at + " (probabilistic) needs rate", problems);
      case RATE_LIMIT ->
          require(
              policy.tracesPerSecond() != null,
              at + " (rateLimit) needs tracesPerSecond",
              problems);
      case ATTRIBUTE -> attribute(at + ".attribute", policy.attribute(), problems);
      case ERROR, DEBUG -> {}
    }
  }

  /**
   * What sampler-svc's policy file cannot say: an operation is always of one service; only latency,
   * probabilistic and rateLimit policies are scoped (probabilistic and rateLimit must be); error,
   * latency and debug policies keep with extended retention, probabilistic and rateLimit with
   * standard, and only an attribute policy chooses.
   */
  private static void scope(String at, TailPolicySpec policy, List<String> problems) {
    TailPolicyType type = policy.type();
    boolean scoped =
        type == TailPolicyType.LATENCY
            || type == TailPolicyType.PROBABILISTIC
            || type == TailPolicyType.RATE_LIMIT;
    if (!scoped && (policy.service() != null || policy.operation() != null)) {
      problems.add(at + " (" + type.wireName() + ") takes no service or operation");
    }
    if (scoped && policy.operation() != null && policy.service() == null) {
      problems.add(at + ".operation needs the service it belongs to");
    }
    if ((type == TailPolicyType.PROBABILISTIC || type == TailPolicyType.RATE_LIMIT)
        && policy.service() == null) {
      problems.add(
          at + " (" + type.wireName() + ") needs a service (the base rate covers the rest)");
    }
    if (type == TailPolicyType.RATE_LIMIT && policy.operation() != null) {
      problems.add(at + " (rateLimit) limits a whole service: no operation");
    }
    RetentionTier fixed =
        switch (type) {
          case ERROR, LATENCY, DEBUG -> RetentionTier.EXTENDED;
          case PROBABILISTIC, RATE_LIMIT -> RetentionTier.STANDARD;
          case ATTRIBUTE -> null;
        };
    if (fixed != null && policy.retention() != null && policy.retention() != fixed) {
      problems.add(
          at
              + ".retention: a "
              + type.wireName()
              + " policy keeps with "
              + fixed.retentionClass().headerValue()
              + " retention");
    }
  }

  private static void attribute(String at, AttributeMatchSpec match, List<String> problems) {
    if (match == null) {
      problems.add(at + " is required for an attribute policy");
      return;
    }
    int ways =
        (match.value() != null ? 1 : 0)
            + (match.regex() != null ? 1 : 0)
            + (match.min() != null || match.max() != null ? 1 : 0)
            + (match.bool() != null ? 1 : 0);
    require(ways == 1, at + " needs exactly one of value, regex, min/max or bool", problems);
    if (match.regex() != null) {
      try {
        Pattern.compile(match.regex());
      } catch (PatternSyntaxException e) {
        problems.add(at + ".regex does not compile: " + e.getDescription());
      }
    }
  }

  private static void require(boolean ok, String problem, List<String> problems) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
