package dev.cairn.operator.model;

import dev.cairn.model.wire.ServicePorts;

/** The four components of a region's pipeline, each one Deployment. */
public enum Component {
  COLLECTOR("collector", "collector-svc", ServicePorts.OTLP_HTTP),
  SAMPLER("sampler", "sampler-svc", ServicePorts.SAMPLER_HTTP),
  STORAGE("storage", "storage-svc", ServicePorts.STORAGE_HTTP),
  QUERY("query", "query-svc", ServicePorts.QUERY_HTTP);

  private final String id;
  private final String imageName;
  private final int httpPort;

  Component(String id, String imageName, int httpPort) {
    this.id = id;
    this.imageName = imageName;
    this.httpPort = httpPort;
  }

  /** Part of object names and the {@code app.kubernetes.io/component} label. */
  public String id() {
    return id;
  }

  /** Image name under the images' repository. */
  public String imageName() {
    return imageName;
  }

  /** The port of the service's health, metrics and, for the collector, OTLP/HTTP. */
  public int httpPort() {
    return httpPort;
  }

  /** Components that read TimescaleDB, and so get its Secret. */
  public boolean usesDatabase() {
    return this == STORAGE || this == QUERY;
  }
}
