package dev.cairn.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.operator.api.TracingCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The test resources, read as the API server would hand them to the operator. */
public final class Fixtures {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  private Fixtures() {}

  /** Two regions: eu-west with autoscaled gateways, us-east with a Kafka cluster of its own. */
  public static TracingCluster twoRegions() {
    return read("/two-regions.yaml");
  }

  public static TracingCluster read(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      return SERIALIZATION.unmarshal(in, TracingCluster.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of the resource with one field set (or removed, for {@code null}); the path is dotted,
   * list items by index: {@code spec.regions.1.collector.replicas}. Spec types are immutable
   * records, so tests edit the document instead.
   */
  public static TracingCluster with(TracingCluster cluster, String path, Object value) {
    JsonNode root = JSON.valueToTree(cluster);
    String[] steps = path.split("\\.");
    JsonNode parent = root;
    for (int i = 0; i < steps.length - 1; i++) {
      JsonNode next = child(parent, steps[i]);
      if (next == null || next.isNull()) {
        next = JSON.createObjectNode();
        ((ObjectNode) parent).set(steps[i], next);
      }
      parent = next;
    }
    String last = steps[steps.length - 1];
    JsonNode node = JSON.valueToTree(value);
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(last), node);
    } else if (value == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, node);
    }
    return JSON.convertValue(root, TracingCluster.class);
  }

  /** Each Deployment's config-hash annotation, by Deployment name. */
  public static Map<String, String> configHashes(List<Deployment> deployments) {
    return deployments.stream()
        .collect(
            Collectors.toMap(
                d -> d.getMetadata().getName(),
                d ->
                    d.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get(Labels.CONFIG_HASH)));
  }

  private static JsonNode child(JsonNode parent, String step) {
    return parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
  }
}
