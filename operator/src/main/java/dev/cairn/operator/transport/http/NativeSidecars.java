package dev.cairn.operator.transport.http;

import dev.cairn.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the API server runs init containers with {@code restartPolicy: Always} as sidecars (on by
 * default from Kubernetes 1.29): configured, or read once from the server's version.
 */
@ApplicationScoped
public class NativeSidecars {
  private static final int FIRST_MINOR = 29;

  private final KubernetesClient client;
  private final OperatorConfig config;
  private volatile Boolean detected;

  NativeSidecars(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  public boolean supported() {
    if (config.webhook().nativeSidecars().isPresent()) {
      return config.webhook().nativeSidecars().get();
    }
    if (detected == null) {
      detected = detect();
    }
    return detected;
  }

  private boolean detect() {
    try {
      var version = client.getKubernetesVersion();
      int major = Integer.parseInt(version.getMajor().replaceAll("\\D", ""));
      int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
      return major > 1 || minor >= FIRST_MINOR;
    } catch (KubernetesClientException | NumberFormatException | NullPointerException e) {
      // Unknown: an ordinary container works on every version.
      return false;
    }
  }
}
