package dev.cairn.selftracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfTelemetryTest {

  private static ResourceSpans resource(String key, AnyValue value) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey(key).setValue(value)))
        .build();
  }

  @Test
  void cairnsOwnResourceIsRecognisedAsBoolOrString() {
    assertThat(
            SelfTelemetry.isOwn(
                List.of(resource("cairn.self", AnyValue.newBuilder().setBoolValue(true).build()))))
        .isTrue();
    assertThat(
            SelfTelemetry.isOwn(
                List.of(
                    resource("service.name", AnyValue.newBuilder().setStringValue("x").build()),
                    resource("cairn.self", AnyValue.newBuilder().setStringValue("true").build()))))
        .isTrue();
  }

  @Test
  void anApplicationsResourceIsNot() {
    assertThat(
            SelfTelemetry.isOwn(
                List.of(
                    resource(
                        "service.name", AnyValue.newBuilder().setStringValue("checkout").build()),
                    resource("cairn.self", AnyValue.newBuilder().setBoolValue(false).build()))))
        .isFalse();
    assertThat(SelfTelemetry.isOwn(List.of())).isFalse();
  }
}
