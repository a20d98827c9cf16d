package dev.cairn.operator.status;

import static dev.cairn.operator.api.TracingClusterStatus.DEGRADED;
import static dev.cairn.operator.api.TracingClusterStatus.PROGRESSING;
import static dev.cairn.operator.api.TracingClusterStatus.READY;

import dev.cairn.operator.api.AgentStatus;
import dev.cairn.operator.api.ComponentStatus;
import dev.cairn.operator.api.RegionSpec;
import dev.cairn.operator.api.RegionStatus;
import dev.cairn.operator.api.TopicStatus;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterStatus;
import dev.cairn.operator.model.Component;
import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.ObjectNames;
import dev.cairn.operator.topics.TopicOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The status of a {@link TracingCluster} from what the operator observed: pure, so every
 * combination of readiness and failure is tested without a server. Conditions keep their transition
 * time while their status stays the same.
 */
public final class StatusModel {
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String KAFKA_UNAVAILABLE = "KafkaUnavailable";
  public static final String RECONCILE_FAILED = "ReconcileFailed";
  public static final String ALL_READY = "AllComponentsReady";
  public static final String NOT_READY = "ComponentsNotReady";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String STABLE = "Stable";
  public static final String AS_EXPECTED = "AsExpected";

  private StatusModel() {}

  /** After a reconcile that applied the desired state. */
  public static TracingClusterStatus observed(
      TracingCluster cluster,
      DesiredState desired,
      Collection<Deployment> deployments,
      TopicOutcome topics,
      AgentStatus agent,
      Instant now) {
    Map<String, Deployment> observedByName =
        deployments.stream()
            .collect(
                Collectors.toMap(d -> d.getMetadata().getName(), Function.identity(), (a, b) -> a));
    Map<String, Deployment> desiredByName =
        desired.deployments().stream()
            .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    List<RegionStatus> regions = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    String name = cluster.getMetadata().getName();
    for (RegionSpec region : cluster.getSpec().regions()) {
      List<ComponentStatus> components = new ArrayList<>();
      for (Component component : Component.values()) {
        String deployment = ObjectNames.component(name, region.name(), component);
        ComponentStatus status =
            ComponentReadiness.of(
                component.id(), desiredByName.get(deployment), observedByName.get(deployment));
        components.add(status);
        if (!status.ready()) {
          notReady.add(region.name() + "/" + component.id() + " " + progress(status));
        }
      }
      regions.add(
          new RegionStatus(
              region.name(), components.stream().allMatch(ComponentStatus::ready), components));
    }
    boolean allReady = notReady.isEmpty();
    List<Condition> previous = previousConditions(cluster);
    long generation = generation(cluster);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        allReady && topics.failure().isEmpty()
            ? condition(
                previous,
                READY,
                true,
                ALL_READY,
                "every component of every region is ready",
                generation,
                now)
            : condition(
                previous,
                READY,
                false,
                allReady ? KAFKA_UNAVAILABLE : NOT_READY,
                allReady ? topics.failure().orElseThrow() : String.join(", ", notReady),
                generation,
                now));
    conditions.add(
        allReady
            ? condition(
                previous, PROGRESSING, false, STABLE, "nothing is rolling out", generation, now)
            : condition(
                previous,
                PROGRESSING,
                true,
                ROLLING_OUT,
                String.join(", ", notReady),
                generation,
                now));
    conditions.add(
        topics
            .failure()
            .map(f -> condition(previous, DEGRADED, true, KAFKA_UNAVAILABLE, f, generation, now))
            .orElseGet(
                () ->
                    condition(
                        previous, DEGRADED, false, AS_EXPECTED, "no errors", generation, now)));
    return new TracingClusterStatus(
        generation,
        conditions,
        regions,
        regionNames(cluster),
        regions.stream().filter(RegionStatus::ready).count() + "/" + regions.size(),
        topicsOrPrevious(cluster, topics),
        agent);
  }

  /** "2/3 ready", or "3/3 ready, updating" while the pods are not yet the desired ones. */
  private static String progress(ComponentStatus status) {
    Integer wanted = status.desiredReplicas();
    String text = status.readyReplicas() + "/" + (wanted == null ? "?" : wanted) + " ready";
    return wanted != null && status.readyReplicas() >= wanted ? text + ", updating" : text;
  }

  /**
   * When the operator cannot act on the resource: a spec it refuses, or a failure applying it. What
   * was last observed of the regions stays; the conditions say why nothing more happens.
   */
  public static TracingClusterStatus failed(
      TracingCluster cluster, String reason, String message, Instant now) {
    List<Condition> previous = previousConditions(cluster);
    long generation = generation(cluster);
    TracingClusterStatus last = cluster.getStatus();
    return new TracingClusterStatus(
        generation,
        List.of(
            condition(previous, READY, false, reason, message, generation, now),
            condition(
                previous,
                PROGRESSING,
                false,
                reason,
                "waiting for the spec or the cause to change",
                generation,
                now),
            condition(previous, DEGRADED, true, reason, message, generation, now)),
        last == null ? null : last.regions(),
        regionNames(cluster),
        last == null ? null : last.readyRegions(),
        last == null ? null : last.topics(),
        last == null ? null : last.agent());
  }

  /** The condition of that type, if the status has one. */
  public static Optional<Condition> condition(TracingClusterStatus status, String type) {
    if (status == null || status.conditions() == null) {
      return Optional.empty();
    }
    return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      Instant now) {
    String value = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  private static List<Condition> previousConditions(TracingCluster cluster) {
    TracingClusterStatus status = cluster.getStatus();
    return status == null || status.conditions() == null ? List.of() : status.conditions();
  }

  private static long generation(TracingCluster cluster) {
    return Objects.requireNonNullElse(cluster.getMetadata().getGeneration(), 0L);
  }

  private static String regionNames(TracingCluster cluster) {
    if (cluster.getSpec() == null || cluster.getSpec().regions() == null) {
      return null;
    }
    return cluster.getSpec().regions().stream()
        .map(RegionSpec::name)
        .filter(Objects::nonNull)
        .collect(Collectors.joining(","));
  }

  /** A Kafka that did not answer says nothing new about its topics: keep what was last known. */
  private static List<TopicStatus> topicsOrPrevious(TracingCluster cluster, TopicOutcome topics) {
    if (topics.failure().isEmpty() || cluster.getStatus() == null) {
      return topics.topics();
    }
    List<TopicStatus> merged = new ArrayList<>(topics.topics());
    List<TopicStatus> last = Objects.requireNonNullElse(cluster.getStatus().topics(), List.of());
    for (TopicStatus t : last) {
      if (merged.stream().noneMatch(m -> m.name().equals(t.name()))) {
        merged.add(t);
      }
    }
    return merged;
  }
}
