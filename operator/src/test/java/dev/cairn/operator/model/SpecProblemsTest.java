package dev.cairn.operator.model;

import static dev.cairn.operator.model.Fixtures.twoRegions;
import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecProblemsTest {

  @Test
  void theFixtureIsValid() {
    assertThat(SpecProblems.of(twoRegions())).isEmpty();
  }

  @Test
  void requiredPartsMissing() {
    var cluster =
        with(with(twoRegions(), "spec.kafka.bootstrapServers", " "), "spec.timescaledb", null);

    assertThat(SpecProblems.of(cluster))
        .containsExactly(
            "spec.kafka.bootstrapServers is required", "spec.timescaledb.secretName is required");
    assertThat(SpecProblems.of(with(twoRegions(), "spec.regions", java.util.List.of())))
        .containsExactly("spec.regions needs at least one region");
  }

  @Test
  void namesThatWouldMakeObjectNamesTooLong() {
    var cluster = twoRegions();
    cluster.getMetadata().setName("a-rather-long-tracing-cluster-name-for-production");

    assertThat(SpecProblems.of(cluster))
        .hasSize(2)
        .first()
        .asString()
        .startsWith("spec.regions[0].name eu-west makes object names like")
        .endsWith("longer than 63 characters: shorten it or the resource's name");
  }

  @Test
  void whatNoSchemaCanSay() {
    var cluster =
        with(
            with(
                twoRegions(),
                "spec.sampling.policies.0",
                Map.of(
                    "name",
                    "route",
                    "type",
                    "attribute",
                    "attribute",
                    Map.of("key", "http.route", "regex", "[a-"))),
            "spec.agent.region",
            "ap-south");

    assertThat(SpecProblems.of(cluster))
        .containsExactly(
            "spec.sampling.policies[0].attribute.regex does not compile: Illegal character range",
            "spec.agent.region ap-south is not one of spec.regions");
  }

  @Test
  void fieldsThatDependOnEachOther() {
    var cluster =
        with(
            with(
                with(twoRegions(), "spec.retention.standardDays", 40),
                "spec.kafka.minInSyncReplicas",
                4),
            "spec.regions.0.collector.autoscaling.minReplicas",
            9);

    assertThat(SpecProblems.of(cluster))
        .containsExactlyInAnyOrder(
            "spec.regions[0].collector.autoscaling.minReplicas exceeds maxReplicas",
            "spec.kafka.minInSyncReplicas exceeds replicationFactor",
            "spec.retention.extendedDays must be at least standardDays");
  }
}
