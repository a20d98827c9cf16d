package dev.cairn.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The webhook's answer for one pod: a JSON Patch (RFC 6902) against the pod as received, or none,
 * and why.
 */
public record Injection(Optional<JsonNode> patch, String reason) {
  public static final String INJECTED = "injected";
  public static final String OPTED_OUT = "opted out";
  public static final String NOT_OPTED_IN = "not opted in";
  public static final String ALREADY_INJECTED = "already injected";
  public static final String NO_CLUSTER = "no TracingCluster injects agents in this namespace";

  static Injection none(String reason) {
    return new Injection(Optional.empty(), reason);
  }
}
