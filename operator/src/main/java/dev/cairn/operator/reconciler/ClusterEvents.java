package dev.cairn.operator.reconciler;

import dev.cairn.operator.api.TracingCluster;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a {@link TracingCluster}, so that {@code kubectl describe} shows why it is
 * degraded. An event that cannot be written is logged, never fails the reconcile.
 */
public final class ClusterEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
  private static final int MAX_MESSAGE = 1024;

  private final Clock clock;

  public ClusterEvents(Clock clock) {
    this.clock = clock;
  }

  void warn(KubernetesClient client, TracingCluster cluster, String reason, String message) {
    String now = clock.instant().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(cluster.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(cluster.getMetadata().getName() + "." + UUID.randomUUID())
                  .withNamespace(cluster.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(cluster.getApiVersion())
                  .withKind(cluster.getKind())
                  .withName(cluster.getMetadata().getName())
                  .withNamespace(cluster.getMetadata().getNamespace())
                  .withUid(cluster.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(
                      message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("cairn-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}", reason, cluster.getMetadata().getName(), e);
    }
  }
}
