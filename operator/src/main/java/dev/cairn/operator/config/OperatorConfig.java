package dev.cairn.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Operator settings, {@code cairn.operator.*}. */
@ConfigMapping(prefix = "cairn.operator")
public interface OperatorConfig {

  /** Namespaces whose TracingClusters are reconciled; empty: every namespace. */
  Optional<Set<String>> namespaces();

  /**
   * Server-side apply for status and dependents. On for real API servers; off against the fabric8
   * mock server, which does not implement it.
   */
  @WithDefault("true")
  boolean serverSideApply();

  /** Longest a Kafka Admin call may take before the topics are reported as unavailable. */
  @WithDefault("10s")
  Duration kafkaTimeout();

  /** How soon a cluster not yet ready is looked at again without any event. */
  @WithDefault("15s")
  Duration recheckWhileNotReady();

  /** How often a ready cluster is looked at again, to correct drift of its Kafka topics. */
  @WithDefault("5m")
  Duration recheckWhenReady();

  Webhook webhook();

  /** The agent-injection webhook. */
  interface Webhook {
    /**
     * Inject the agent as a native sidecar (an init container with {@code restartPolicy: Always});
     * unset: when the API server is 1.29 or newer.
     */
    Optional<Boolean> nativeSidecars();
  }
}
