package dev.cairn.collector.ingest;

import static dev.cairn.collector.OtlpFixtures.attribute;
import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceEnricherTest {

  private static final ResourceEnricher AGENT =
      new ResourceEnricher(
          Map.of(
              ResourceEnricher.K8S_POD_NAME, "checkout-7d9f",
              ResourceEnricher.K8S_NAMESPACE_NAME, "shop",
              ResourceEnricher.K8S_NODE_NAME, "node-3"),
          Map.of());

  private static final ResourceEnricher GATEWAY =
      new ResourceEnricher(Map.of(), Map.of(ResourceEnricher.CAIRN_REGION, "eu-west"));

  private static Map<String, AnyValue> attributes(Resource resource) {
    Map<String, AnyValue> all = new LinkedHashMap<>();
    for (KeyValue kv : resource.getAttributesList()) {
      all.put(kv.getKey(), kv.getValue());
    }
    return all;
  }

  private static String text(Map<String, AnyValue> attributes, String key) {
    return attributes.get(key).getStringValue();
  }

  @Test
  void anAgentAddsWhereItRunsButNeverReplacesWhatTheApplicationSet() {
    Resource app =
        Resource.newBuilder()
            .addAttributes(attribute("service.name", "checkout"))
            .addAttributes(attribute("k8s.pod.name", "set-by-the-app"))
            .build();

    Map<String, AnyValue> out = attributes(AGENT.enrich(app));

    assertThat(out).hasSize(4);
    assertThat(text(out, "service.name")).isEqualTo("checkout");
    assertThat(text(out, "k8s.pod.name")).isEqualTo("set-by-the-app");
    assertThat(text(out, "k8s.namespace.name")).isEqualTo("shop");
    assertThat(text(out, "k8s.node.name")).isEqualTo("node-3");
  }

  @Test
  void aGatewaySetsItsRegionOverWhateverTheClientSent() {
    Resource claimed =
        Resource.newBuilder()
            .addAttributes(attribute("cairn.region", "us-east"))
            .addAttributes(attribute("service.name", "checkout"))
            .build();
    Resource untyped =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("cairn.region")
                    .setValue(AnyValue.newBuilder().setIntValue(7)))
            .build();

    assertThat(GATEWAY.enrich(claimed).getAttributesList())
        .containsExactly(
            attribute("cairn.region", "eu-west"), attribute("service.name", "checkout"));
    assertThat(GATEWAY.enrich(untyped).getAttributesList())
        .containsExactly(attribute("cairn.region", "eu-west"));
    assertThat(GATEWAY.enrich(Resource.getDefaultInstance()).getAttributesList())
        .containsExactly(attribute("cairn.region", "eu-west"));
  }

  @Test
  void aResourceThatNeedsNoChangeIsPassedOnAsItIs() {
    Resource already =
        Resource.newBuilder()
            .addAttributes(attribute("service.name", "checkout"))
            .addAttributes(attribute("cairn.region", "eu-west"))
            .build();
    ResourceSpans group = resourceSpans("checkout", List.of(span(randomTraceId(), "x").build()));
    ResourceSpans enriched = group.toBuilder().setResource(already).build();

    assertThat(GATEWAY.enrich(already)).isSameAs(already);
    assertThat(GATEWAY.enrich(List.of(enriched)).get(0)).isSameAs(enriched);
    List<ResourceSpans> batch = List.of(group);
    assertThat(ResourceEnricher.NONE.enrich(batch)).isSameAs(batch);
  }

  @Test
  void everyResourceOfTheBatchIsEnrichedAndItsSpansKept() {
    ResourceSpans a = resourceSpans("a", List.of(span(randomTraceId(), "1").build()));
    ResourceSpans b = resourceSpans("b", List.of(span(randomTraceId(), "2").build()));

    List<ResourceSpans> out = GATEWAY.enrich(List.of(a, b));

    assertThat(out).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(text(attributes(out.get(i).getResource()), "cairn.region")).isEqualTo("eu-west");
      assertThat(out.get(i).getScopeSpansList())
          .isEqualTo(List.of(a, b).get(i).getScopeSpansList());
    }
  }
}
