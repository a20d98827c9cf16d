package dev.cairn.operator.model;

import static dev.cairn.operator.model.Fixtures.twoRegions;
import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.api.TracingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The properties the operator renders for each service are keys of that service's own configuration
 * mapping: a key it does not know would stop the service at start-up, one it misspells would be
 * ignored silently.
 */
class ServiceConfigAgreementTest {

  @ParameterizedTest
  @EnumSource(Component.class)
  void everyRenderedServiceKeyIsOneTheServiceBinds(Component component) throws IOException {
    ConfigMappingSource mapping = ConfigMappingSource.of(Path.of("..", component.imageName()));
    Properties rendered = rendered(twoRegions(), component);

    assertThat(rendered.stringPropertyNames())
        .as("keys under %s", mapping.prefix())
        .filteredOn(key -> key.startsWith(mapping.prefix() + "."))
        .isNotEmpty()
        .allSatisfy(key -> assertThat(mapping.binds(key)).as(key).isTrue());
  }

  @Test
  void theReaderRejectsKeysTheMappingDoesNotHave() throws IOException {
    ConfigMappingSource storage = ConfigMappingSource.of(Path.of("..", "storage-svc"));

    assertThat(storage.binds("cairn.storage.retention.standard")).isTrue();
    assertThat(storage.binds("cairn.storage.retention.chunk-intervals.aggregates")).isTrue();
    assertThat(storage.binds("cairn.storage.retention.rollup.max-hours-per-run")).isTrue();
    assertThat(storage.binds("cairn.storage.retention.standard-days")).isFalse();
    assertThat(storage.binds("cairn.storage.retention")).as("a group, not a value").isFalse();
    assertThat(storage.binds("cairn.storage.retention.chunk-intervals.warm")).isFalse();
    assertThat(storage.binds("cairn.storage.standard")).isFalse();
  }

  @Test
  void retentionPerTierReachesStorageInItsOwnKeys() throws IOException {
    TracingCluster cluster =
        with(
            with(
                with(twoRegions(), "spec.retention.standardDays", 3),
                "spec.retention.extendedDays",
                45),
            "spec.retention.aggregatesDays",
            400);

    Properties storage = rendered(cluster, Component.STORAGE);

    assertThat(storage)
        .containsEntry("cairn.storage.retention.standard", "3d")
        .containsEntry("cairn.storage.retention.extended", "45d")
        .containsEntry("cairn.storage.retention.aggregates", "400d")
        // the hourly rollups outlive the minute rows they summarise
        .containsEntry("cairn.storage.retention.rollups", "400d");
    // Unset tiers: the defaults, which are storage-svc's too.
    Properties defaults = rendered(with(twoRegions(), "spec.retention", null), Component.STORAGE);
    assertThat(defaults)
        .containsEntry("cairn.storage.retention.standard", "7d")
        .containsEntry("cairn.storage.retention.extended", "30d")
        .containsEntry("cairn.storage.retention.aggregates", "90d")
        .containsEntry("cairn.storage.retention.rollups", "90d");
  }

  /** The service's properties as the eu-west ConfigMap carries them. */
  static Properties rendered(TracingCluster cluster, Component component) throws IOException {
    ConfigMap configMap =
        ClusterModel.desired(cluster).configMaps().stream()
            .filter(
                c -> c.getMetadata().getName().equals("prod-eu-west-" + component.id() + "-config"))
            .findFirst()
            .orElseThrow();
    Properties properties = new Properties();
    properties.load(new StringReader(configMap.getData().get(ComponentConfig.PROPERTIES)));
    return properties;
  }
}
