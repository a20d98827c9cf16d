package dev.cairn.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.operator.api.AttributeMatchSpec;
import dev.cairn.operator.api.TailPolicySpec;
import java.util.List;

/**
 * The TracingCluster's tail policies in sampler-svc's own policy-file format (its {@code
 * PolicyFile}, JSON): the CRD spells a policy flat (a type, an optional service and operation, one
 * value), the sampler groups values by service or operation. A policy maps to one entry of the same
 * name, in the same order; {@link SpecProblems} refuses what the sampler could not express (an
 * operation without its service, a scope on a policy that has none, a retention a policy cannot
 * have), so every spec the operator applies renders. {@code SamplerPolicyFileTest} and the
 * sampler's {@code OperatorRenderedPolicyFileTest} share one golden file, so the two formats cannot
 * drift apart unnoticed.
 */
public final class SamplerPolicyFile {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SamplerPolicyFile() {}

  /** The policy file's text; the base rate stays in the sampler's properties. */
  public static String render(List<TailPolicySpec> policies) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("policies");
    policies.forEach(policy -> list.add(entry(policy)));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serializes", e);
    }
  }

  private static ObjectNode entry(TailPolicySpec policy) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("name", policy.name());
    switch (policy.type()) {
      case ERROR -> entry.put("type", "error");
      case DEBUG -> entry.put("type", "debug");
      case LATENCY -> {
        entry.put("type", "latency");
        scoped(
            entry,
            policy,
            "threshold",
            JSON.getNodeFactory().textNode(policy.thresholdMs() + "ms"));
      }
      case PROBABILISTIC -> {
        entry.put("type", "probabilistic");
        scoped(entry, policy, "rate", JSON.getNodeFactory().numberNode(policy.rate()));
      }
      case RATE_LIMIT -> {
        entry.put("type", "rate-limit");
        entry.putObject("services").put(policy.service(), policy.tracesPerSecond());
      }
      case ATTRIBUTE -> attribute(entry, policy);
    }
    return entry;
  }

  /**
   * A value for the whole trace ({@code threshold} only), for the traces of one service, or for one
   * operation of one service.
   */
  private static void scoped(
      ObjectNode entry, TailPolicySpec policy, String valueField, JsonNode value) {
    if (policy.service() == null) {
      entry.set(valueField, value);
    } else if (policy.operation() == null) {
      entry.putObject("services").set(policy.service(), value);
    } else {
      ObjectNode operation = entry.putArray("operations").addObject();
      operation.put("service", policy.service());
      operation.put("operation", policy.operation());
      operation.set(valueField, value);
    }
  }

  private static void attribute(ObjectNode entry, TailPolicySpec policy) {
    AttributeMatchSpec match = policy.attribute();
    entry.put("type", "attribute");
    entry.put("key", match.key());
    if (match.value() != null) {
      entry.put("equals", match.value());
    } else if (match.regex() != null) {
      entry.put("regex", match.regex());
    } else if (match.bool() != null) {
      entry.put("bool", match.bool());
    } else {
      if (match.min() != null) {
        entry.put("min", match.min());
      }
      if (match.max() != null) {
        entry.put("max", match.max());
      }
    }
    if (policy.retention() != null) {
      entry.put("retention", policy.retention().retentionClass().headerValue());
    }
  }
}
