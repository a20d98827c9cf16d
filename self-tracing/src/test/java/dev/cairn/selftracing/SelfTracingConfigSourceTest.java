package dev.cairn.selftracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SelfTracingConfigSourceTest {

  @Test
  void withoutAnEndpointTheSdkStaysOff() {
    SelfTracingConfigSource source = new SelfTracingConfigSource(null, " ");

    assertThat(source.getValue("quarkus.otel.sdk.disabled")).isEqualTo("true");
    assertThat(source.getValue("quarkus.otel.exporter.otlp.traces.endpoint")).isNull();
  }

  @Test
  void anEndpointTurnsTheSdkOnExportsThereAndMarksTheResource() {
    SelfTracingConfigSource source = new SelfTracingConfigSource(null, "http://other-cairn:4317");

    assertThat(source.getValue("quarkus.otel.sdk.disabled")).isEqualTo("false");
    assertThat(source.getValue("quarkus.otel.exporter.otlp.traces.endpoint"))
        .isEqualTo("http://other-cairn:4317");
    assertThat(source.getValue("quarkus.otel.resource.attributes")).isEqualTo("cairn.self=true");
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironment() {
    SelfTracingConfigSource source =
        new SelfTracingConfigSource("http://from-property:4317", "http://from-env:4317");

    assertThat(source.getValue("quarkus.otel.exporter.otlp.traces.endpoint"))
        .isEqualTo("http://from-property:4317");
  }

  @Test
  void rankBelowApplicationPropertiesSoServicesAndOperatorsMayOverride() {
    assertThat(new SelfTracingConfigSource(null, null).getOrdinal()).isLessThan(250);
  }
}
