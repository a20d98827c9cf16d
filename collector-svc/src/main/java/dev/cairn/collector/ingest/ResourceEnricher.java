package dev.cairn.collector.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds what the collector knows about where spans come from to every resource: an agent adds the
 * pod, namespace and node it runs beside, never replacing what the application set; a gateway sets
 * its region, replacing any value a client sent, because federation and data residency rely on it.
 * A resource that needs no change is passed on as it is. Immutable and thread-safe.
 */
public final class ResourceEnricher {

  public static final String K8S_POD_NAME = "k8s.pod.name";
  public static final String K8S_NAMESPACE_NAME = "k8s.namespace.name";
  public static final String K8S_NODE_NAME = "k8s.node.name";
  public static final String CAIRN_REGION = "cairn.region";

  /** Changes nothing. */
  public static final ResourceEnricher NONE = new ResourceEnricher(Map.of(), Map.of());

  private final Map<String, String> ifAbsent;
  private final Map<String, String> authoritative;

  /**
   * @param ifAbsent attributes added where the resource has no attribute of that key
   * @param authoritative attributes set on every resource, replacing a value of the same key
   */
  public ResourceEnricher(Map<String, String> ifAbsent, Map<String, String> authoritative) {
    this.ifAbsent = new LinkedHashMap<>(ifAbsent);
    this.authoritative = new LinkedHashMap<>(authoritative);
    this.ifAbsent.keySet().removeAll(authoritative.keySet());
  }

  public boolean changesNothing() {
    return ifAbsent.isEmpty() && authoritative.isEmpty();
  }

  public List<ResourceSpans> enrich(List<ResourceSpans> batch) {
    if (changesNothing()) {
      return batch;
    }
    List<ResourceSpans> out = new ArrayList<>(batch.size());
    for (ResourceSpans resourceSpans : batch) {
      Resource resource = resourceSpans.getResource();
      Resource enriched = enrich(resource);
      out.add(
          enriched == resource
              ? resourceSpans
              : resourceSpans.toBuilder().setResource(enriched).build());
    }
    return out;
  }

  /** The resource with the attributes added; the same instance when none was missing. */
  Resource enrich(Resource resource) {
    Map<String, String> missing = new LinkedHashMap<>(ifAbsent);
    missing.putAll(authoritative);
    List<Integer> replaced = new ArrayList<>(0);
    List<KeyValue> attributes = resource.getAttributesList();
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue attribute = attributes.get(i);
      String key = attribute.getKey();
      String wanted = authoritative.get(key);
      if (wanted != null && !isString(attribute.getValue(), wanted)) {
        replaced.add(i);
      } else {
        missing.remove(key);
      }
    }
    if (missing.isEmpty() && replaced.isEmpty()) {
      return resource;
    }
    Resource.Builder builder = resource.toBuilder();
    for (int index : replaced) {
      String key = attributes.get(index).getKey();
      builder.setAttributes(index, attribute(key, authoritative.get(key)));
      missing.remove(key);
    }
    missing.forEach((key, value) -> builder.addAttributes(attribute(key, value)));
    return builder.build();
  }

  private static boolean isString(AnyValue value, String expected) {
    return value.hasStringValue() && value.getStringValue().equals(expected);
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
