package dev.cairn.operator.model;

import dev.cairn.model.wire.ServicePorts;
import dev.cairn.operator.api.Defaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configuration each component reads, rendered from the spec into a ConfigMap: an {@code
 * application.properties} in the service's own keys (mounted at {@link #MOUNT_PATH}), and for the
 * sampler its tail policies in its own policy-file format ({@link SamplerPolicyFile}). A
 * component's pods roll when its properties change ({@link Labels#CONFIG_HASH}); the policy file is
 * not in the hash, since the sampler reloads it.
 */
public final class ComponentConfig {
  public static final String MOUNT_PATH = "/etc/cairn";
  public static final String PROPERTIES = "application.properties";
  public static final String POLICIES = "policies.json";

  private ComponentConfig() {}

  /** The service's settings as properties, sorted so that equal settings render equal text. */
  public static SortedMap<String, String> properties(RegionPlan plan, Component component) {
    RegionTopics topics = plan.topics();
    SortedMap<String, String> p = new TreeMap<>();
    p.put("quarkus.http.port", Integer.toString(component.httpPort()));
    switch (component) {
      case COLLECTOR -> {
        p.put("cairn.collector.role", "gateway");
        p.put("cairn.region", plan.regionName());
        p.put("cairn.collector.kafka.bootstrap-servers", plan.bootstrapServers());
        p.put("cairn.collector.kafka.topic", topics.ingested());
        p.put("quarkus.grpc.server.port", Integer.toString(ServicePorts.OTLP_GRPC));
      }
      case SAMPLER -> {
        p.put("cairn.sampler.kafka.bootstrap-servers", plan.bootstrapServers());
        p.put("cairn.sampler.ingested-topic", topics.ingested());
        p.put("cairn.sampler.sampled-topic", topics.sampled());
        p.put("cairn.sampler.metrics-topic", topics.metrics());
        p.put("cairn.sampler.group-id", topics.samplerGroup());
        p.put("cairn.sampler.base-rate", Double.toString(plan.baseRate()));
        p.put("cairn.sampler.decision-wait", plan.decisionWait());
        p.put("cairn.sampler.policy-file", MOUNT_PATH + "/" + POLICIES);
      }
      case STORAGE -> {
        p.put("cairn.storage.kafka.bootstrap-servers", plan.bootstrapServers());
        p.put("cairn.storage.kafka.topic", topics.sampled());
        p.put("cairn.storage.metrics.topic", topics.metrics());
        p.put("cairn.storage.kafka.dead-letter-topic", topics.dead());
        p.put("cairn.storage.kafka.group-id", topics.storageGroup());
        // Retention per tier, in storage-svc's own keys (its StorageConfig.Retention).
        p.put("cairn.storage.retention.standard", plan.standardDays() + "d");
        p.put("cairn.storage.retention.extended", plan.extendedDays() + "d");
        p.put("cairn.storage.retention.aggregates", plan.aggregatesDays() + "d");
        // The hourly rollups summarise the per-minute rows: kept at least as long as those, and
        // never less than storage-svc's default.
        p.put(
            "cairn.storage.retention.rollups",
            Math.max(plan.aggregatesDays(), Defaults.AGGREGATES_DAYS) + "d");
      }
      case QUERY ->
          // A search window longer than the longest retention would only scan empty chunks.
          p.put("cairn.query.search.max-window", plan.extendedDays() + "d");
    }
    return p;
  }

  /** The ConfigMap of one component: its properties, and the sampler's policies. */
  public static ConfigMap configMap(RegionPlan plan, Component component) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(PROPERTIES, render(properties(plan, component)));
    if (component == Component.SAMPLER) {
      data.put(POLICIES, SamplerPolicyFile.render(plan.policies()));
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ObjectNames.config(plan.clusterName(), plan.regionName(), component))
        .withNamespace(plan.namespace())
        .withLabels(Labels.of(plan.clusterName(), plan.regionName(), component))
        .endMetadata()
        .withData(data)
        .build();
  }

  /** What the component's pods must restart for: its properties, not its reloadable files. */
  public static String hash(ConfigMap configMap) {
    return ConfigHash.of(Map.of(PROPERTIES, configMap.getData().get(PROPERTIES)));
  }

  static String render(SortedMap<String, String> properties) {
    StringBuilder text =
        new StringBuilder("# Rendered by the Cairn operator from the TracingCluster.\n");
    properties.forEach(
        (key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    return text.toString();
  }

  /** Properties-file escaping of a value: backslashes, and line breaks that would end it. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }
}
