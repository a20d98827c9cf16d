package dev.cairn.operator.model;

import dev.cairn.operator.topics.DesiredTopic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;

/** Everything a {@link dev.cairn.operator.api.TracingCluster} should have made, every region. */
public record DesiredState(
    List<ConfigMap> configMaps,
    List<Deployment> deployments,
    List<Service> services,
    List<HorizontalPodAutoscaler> autoscalers,
    List<PodDisruptionBudget> disruptionBudgets,
    List<DesiredTopic> topics) {}
