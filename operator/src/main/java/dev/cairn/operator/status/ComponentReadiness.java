package dev.cairn.operator.status;

import dev.cairn.operator.api.ComponentStatus;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;

/**
 * Whether a component's Deployment has rolled out what the operator asked for: the controller saw
 * the latest spec, the pods carry the desired configuration, and every wanted replica is updated
 * and ready.
 */
final class ComponentReadiness {
  private ComponentReadiness() {}

  static ComponentStatus of(String component, Deployment desired, Deployment observed) {
    if (observed == null) {
      return new ComponentStatus(component, null, 0, 0, false);
    }
    // Autoscaled gateways: the autoscaler (or the API server's default of 1) sets the count.
    int wanted = Objects.requireNonNullElse(observed.getSpec().getReplicas(), 1);
    DeploymentStatus status = observed.getStatus();
    int ready = status == null ? 0 : Objects.requireNonNullElse(status.getReadyReplicas(), 0);
    int updated = status == null ? 0 : Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    boolean sawLatestSpec =
        status != null
            && (observed.getMetadata().getGeneration() == null
                || status.getObservedGeneration() != null
                    && status.getObservedGeneration() >= observed.getMetadata().getGeneration());
    boolean desiredConfig = Objects.equals(configHash(desired), configHash(observed));
    boolean isReady = sawLatestSpec && desiredConfig && ready >= wanted && updated >= wanted;
    return new ComponentStatus(component, wanted, ready, updated, isReady);
  }

  private static String configHash(Deployment deployment) {
    var meta = deployment.getSpec().getTemplate().getMetadata();
    return meta == null || meta.getAnnotations() == null
        ? null
        : meta.getAnnotations().get(Labels.CONFIG_HASH);
  }
}
