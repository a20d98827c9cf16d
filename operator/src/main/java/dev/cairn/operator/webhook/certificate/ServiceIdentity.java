package dev.cairn.operator.webhook.certificate;

import java.util.List;

/** The Service the API server calls the webhook through, and the DNS names it may use for it. */
public record ServiceIdentity(String service, String namespace) {

  public ServiceIdentity {
    if (service == null || service.isBlank() || namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("the webhook's service and namespace must be named");
    }
  }

  /** Every name a client inside the cluster may address the Service by. */
  public List<String> dnsNames() {
    return List.of(
        service,
        service + "." + namespace,
        service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }
}
