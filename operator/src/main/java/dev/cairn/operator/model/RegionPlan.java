package dev.cairn.operator.model;

import dev.cairn.operator.api.AutoscalingSpec;
import dev.cairn.operator.api.CollectorSpec;
import dev.cairn.operator.api.ComponentSpec;
import dev.cairn.operator.api.Defaults;
import dev.cairn.operator.api.ImagesSpec;
import dev.cairn.operator.api.RegionSpec;
import dev.cairn.operator.api.RetentionSpec;
import dev.cairn.operator.api.SamplingSpec;
import dev.cairn.operator.api.TailPolicySpec;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One region of a {@link TracingCluster} with every default applied: the one place where what a
 * spec leaves out is filled in from {@link Defaults}.
 */
public record RegionPlan(TracingCluster cluster, RegionSpec region) {

  public String clusterName() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }

  public String regionName() {
    return region.name();
  }

  private TracingClusterSpec spec() {
    return cluster.getSpec();
  }

  public RegionTopics topics() {
    return RegionTopics.of(or(spec().kafka().topicPrefix(), ""), region.name());
  }

  public String bootstrapServers() {
    return or(region.kafkaBootstrapServers(), spec().kafka().bootstrapServers());
  }

  public int partitions() {
    return or(spec().kafka().partitions(), Defaults.PARTITIONS);
  }

  public int replicationFactor() {
    return or(spec().kafka().replicationFactor(), Defaults.REPLICATION_FACTOR);
  }

  public Optional<Integer> minInSyncReplicas() {
    return Optional.ofNullable(spec().kafka().minInSyncReplicas());
  }

  public String databaseSecret() {
    return spec().timescaledb().secretName();
  }

  public Map<String, String> nodeSelector() {
    return or(region.nodeSelector(), Map.of());
  }

  public String topologySpreadKey() {
    return or(region.topologySpreadKey(), Defaults.TOPOLOGY_SPREAD_KEY);
  }

  /** Fixed replicas, or empty when the autoscaler owns the count. */
  public Optional<Integer> replicas(Component component) {
    if (component == Component.COLLECTOR && autoscaled()) {
      return Optional.empty();
    }
    return Optional.of(
        switch (component) {
          case COLLECTOR -> or(collector().replicas(), Defaults.COLLECTOR_REPLICAS);
          case SAMPLER -> or(component(region.sampler()).replicas(), Defaults.SAMPLER_REPLICAS);
          case STORAGE -> or(component(region.storage()).replicas(), Defaults.STORAGE_REPLICAS);
          case QUERY -> or(component(region.query()).replicas(), Defaults.QUERY_REPLICAS);
        });
  }

  public Optional<ResourceRequirements> resources(Component component) {
    return Optional.ofNullable(
        switch (component) {
          case COLLECTOR -> collector().resources();
          case SAMPLER -> component(region.sampler()).resources();
          case STORAGE -> component(region.storage()).resources();
          case QUERY -> component(region.query()).resources();
        });
  }

  public boolean autoscaled() {
    AutoscalingSpec autoscaling = collector().autoscaling();
    return autoscaling != null && Boolean.TRUE.equals(autoscaling.enabled());
  }

  public int autoscalingMin() {
    return or(collector().autoscaling().minReplicas(), Defaults.AUTOSCALING_MIN_REPLICAS);
  }

  public int autoscalingMax() {
    return or(collector().autoscaling().maxReplicas(), Defaults.AUTOSCALING_MAX_REPLICAS);
  }

  public int autoscalingTargetCpu() {
    return or(collector().autoscaling().targetCpuUtilization(), Defaults.AUTOSCALING_TARGET_CPU);
  }

  public double baseRate() {
    return or(sampling().baseRate(), Defaults.BASE_RATE);
  }

  public String decisionWait() {
    return or(sampling().decisionWait(), Defaults.DECISION_WAIT);
  }

  public List<TailPolicySpec> policies() {
    return or(sampling().policies(), List.of());
  }

  public int standardDays() {
    return or(retention().standardDays(), Defaults.STANDARD_DAYS);
  }

  public int extendedDays() {
    return or(retention().extendedDays(), Defaults.EXTENDED_DAYS);
  }

  public int aggregatesDays() {
    return or(retention().aggregatesDays(), Defaults.AGGREGATES_DAYS);
  }

  public String image(Component component) {
    ImagesSpec images = images();
    String explicit =
        switch (component) {
          case COLLECTOR -> images.collector();
          case SAMPLER -> images.sampler();
          case STORAGE -> images.storage();
          case QUERY -> images.query();
        };
    if (explicit != null) {
      return explicit;
    }
    return or(images.repository(), Defaults.IMAGE_REPOSITORY)
        + "/"
        + component.imageName()
        + ":"
        + or(images.tag(), Defaults.IMAGE_TAG);
  }

  public String pullPolicy() {
    return or(images().pullPolicy(), Defaults.PULL_POLICY).name();
  }

  public List<String> pullSecrets() {
    return or(images().pullSecrets(), List.of());
  }

  private CollectorSpec collector() {
    return or(region.collector(), new CollectorSpec(null, null, null));
  }

  private static ComponentSpec component(ComponentSpec spec) {
    return or(spec, new ComponentSpec(null, null));
  }

  private SamplingSpec sampling() {
    return or(spec().sampling(), new SamplingSpec(null, null, null, null));
  }

  private RetentionSpec retention() {
    return or(spec().retention(), new RetentionSpec(null, null, null));
  }

  private ImagesSpec images() {
    return or(spec().images(), new ImagesSpec(null, null, null, null, null, null, null, null));
  }

  private static <T> T or(T value, T fallback) {
    return Objects.requireNonNullElse(value, fallback);
  }
}
