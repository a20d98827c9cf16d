package dev.cairn.collector.config;

import static dev.cairn.collector.OtlpFixtures.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.collector.ingest.ResourceEnricher;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each role's settings become its resource enrichment. */
class IngestBeansTest {

  private static Resource enriched(ResourceEnricher enricher, Resource resource) {
    return enricher
        .enrich(List.of(ResourceSpans.newBuilder().setResource(resource).build()))
        .get(0)
        .getResource();
  }

  @Test
  void aGatewayWithARegionSetsItAndOneWithoutChangesNothing() {
    Resource client = Resource.newBuilder().addAttributes(attribute("cairn.region", "x")).build();

    assertThat(
            enriched(IngestBeans.regionEnricher(Optional.of(" eu-west ")), client)
                .getAttributesList())
        .containsExactly(attribute("cairn.region", "eu-west"));
    assertThat(IngestBeans.regionEnricher(Optional.empty()).changesNothing()).isTrue();
    assertThat(IngestBeans.regionEnricher(Optional.of(" ")).changesNothing()).isTrue();
  }

  @Test
  void anAgentAddsTheDownwardApiValuesItWasGiven() {
    CollectorConfig.Agent.Resource where =
        new CollectorConfig.Agent.Resource() {
          @Override
          public Optional<String> podName() {
            return Optional.of("checkout-7d9f");
          }

          @Override
          public Optional<String> namespace() {
            return Optional.empty();
          }

          @Override
          public Optional<String> nodeName() {
            return Optional.of("node-3");
          }
        };

    assertThat(
            enriched(IngestBeans.podEnricher(where), Resource.getDefaultInstance())
                .getAttributesList())
        .containsExactly(
            attribute("k8s.pod.name", "checkout-7d9f"), attribute("k8s.node.name", "node-3"));
  }
}
