package dev.cairn.selftracing;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;

/**
 * The guard against self-tracing loops. Cairn's own spans carry the resource attribute {@value
 * #RESOURCE_ATTRIBUTE} (set by {@link SelfTracingConfigSource}); a collector that receives them
 * stores them like any others but traces nothing of their processing: no ingest span, so their
 * Kafka records carry no trace context and no later stage traces them either (later stages only
 * ever continue a trace, see {@link KafkaTraceContext}). Without this, every exported batch of
 * Cairn's own spans would make new spans, for ever, in this Cairn or between two Cairns that trace
 * into each other.
 */
public final class SelfTelemetry {

  public static final String RESOURCE_ATTRIBUTE = "cairn.self";

  private SelfTelemetry() {}

  /** True when any resource of the request is one of Cairn's own services. */
  public static boolean isOwn(List<ResourceSpans> resourceSpans) {
    for (ResourceSpans spans : resourceSpans) {
      for (KeyValue attribute : spans.getResource().getAttributesList()) {
        if (attribute.getKey().equals(RESOURCE_ATTRIBUTE) && isTrue(attribute)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isTrue(KeyValue attribute) {
    var value = attribute.getValue();
    return value.getBoolValue() || "true".equalsIgnoreCase(value.getStringValue());
  }
}
