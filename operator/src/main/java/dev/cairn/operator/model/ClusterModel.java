package dev.cairn.operator.model;

import dev.cairn.kafka.ProducerProperties;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.operator.api.RegionSpec;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.topics.DesiredTopic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The desired state of a {@link TracingCluster}: a pure function of the resource, computed without
 * any server, so the same spec always yields the same objects (and the reconciler only applies
 * them).
 */
public final class ClusterModel {

  /** Topics take the records producers may send: the largest value plus key and headers. */
  static final String MAX_MESSAGE_BYTES =
      Integer.toString(
          TraceWireCodec.DEFAULT_MAX_RECORD_BYTES + ProducerProperties.RECORD_OVERHEAD_BYTES);

  private ClusterModel() {}

  /**
   * @throws InvalidSpecException when {@link SpecProblems} finds any problem
   */
  public static DesiredState desired(TracingCluster cluster) {
    List<String> problems = SpecProblems.of(cluster);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    List<ConfigMap> configMaps = new ArrayList<>();
    List<Deployment> deployments = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<HorizontalPodAutoscaler> autoscalers = new ArrayList<>();
    List<PodDisruptionBudget> budgets = new ArrayList<>();
    List<DesiredTopic> topics = new ArrayList<>();
    for (RegionSpec region : cluster.getSpec().regions()) {
      RegionPlan plan = new RegionPlan(cluster, region);
      for (Component component : Component.values()) {
        ConfigMap config = ComponentConfig.configMap(plan, component);
        configMaps.add(config);
        deployments.add(DeploymentModel.of(plan, component, config));
        budgets.add(ScalingModel.disruptionBudget(plan, component));
      }
      services.addAll(ServiceModel.of(plan));
      ScalingModel.autoscaler(plan).ifPresent(autoscalers::add);
      topics.addAll(topics(plan));
    }
    OwnerReference owner = ownerReference(cluster);
    Stream.of(configMaps, deployments, services, autoscalers, budgets)
        .flatMap(List::stream)
        .forEach(object -> setOwner(object, owner));
    return new DesiredState(
        List.copyOf(configMaps),
        List.copyOf(deployments),
        List.copyOf(services),
        List.copyOf(autoscalers),
        List.copyOf(budgets),
        List.copyOf(topics));
  }

  private static List<DesiredTopic> topics(RegionPlan plan) {
    Map<String, String> configs = new TreeMap<>();
    configs.put("max.message.bytes", MAX_MESSAGE_BYTES);
    plan.minInSyncReplicas().ifPresent(n -> configs.put("min.insync.replicas", n.toString()));
    return plan.topics().topics().stream()
        .map(
            name ->
                new DesiredTopic(
                    plan.bootstrapServers(),
                    name,
                    plan.partitions(),
                    (short) plan.replicationFactor(),
                    Map.copyOf(configs)))
        .toList();
  }

  /**
   * The cluster controls what it made; Kubernetes' garbage collector deletes it with the cluster.
   */
  static OwnerReference ownerReference(TracingCluster cluster) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind())
        .withName(cluster.getMetadata().getName())
        .withUid(cluster.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static void setOwner(HasMetadata object, OwnerReference owner) {
    object.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
  }
}
