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

    /**
     * Who provides the webhook's certificate: {@code operator} issues it into {@link #secret()} and
     * patches the CA bundle into {@link #configuration()}; {@code cert-manager} only reads the
     * Secret cert-manager writes.
     */
    @WithDefault("operator")
    CertificateProvider certificate();

    /** The {@code kubernetes.io/tls} Secret holding the webhook's certificate. */
    @WithDefault("cairn-operator-webhook-tls")
    String secret();

    /** The MutatingWebhookConfiguration whose entries get the CA bundle. */
    @WithDefault("cairn-agent-injector")
    String configuration();

    /** The Service the API server calls the webhook through: the certificate's names. */
    @WithDefault("cairn-operator")
    String service();

    /** Namespace of the Service and the Secret; unset: the operator's own (its client's). */
    Optional<String> namespace();

    /** Validity of a certificate the operator issues. */
    @WithDefault("365d")
    Duration certificateValidity();

    /** A certificate with less than this left is replaced. */
    @WithDefault("30d")
    Duration certificateRenewBefore();

    /** How often the Secret is looked at again (renewal, or cert-manager's new certificate). */
    @WithDefault("1h")
    Duration certificateCheckEvery();

    /** With cert-manager: how long start-up waits for its first certificate. */
    @WithDefault("2m")
    Duration certificateWait();
  }

  /** Who provides the webhook's certificate. */
  enum CertificateProvider {
    OPERATOR,
    CERT_MANAGER
  }
}
