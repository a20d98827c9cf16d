package dev.cairn.model.wire;

/**
 * The ports of the services, shared by the services' configuration, the agents that send to them
 * and the operator that deploys them. Health ({@code /q/health}) and metrics ({@code /q/metrics})
 * are served on each service's HTTP port.
 */
public final class ServicePorts {
  /** Collector (gateway and agent): OTLP over gRPC. */
  public static final int OTLP_GRPC = 4317;

  /** Collector (gateway and agent): OTLP over HTTP, and the collector's health and metrics. */
  public static final int OTLP_HTTP = 4318;

  /** Collector (gateway and agent): Zipkin v2 {@code POST /api/v2/spans}. */
  public static final int ZIPKIN = 9411;

  /** sampler-svc: health and metrics. */
  public static final int SAMPLER_HTTP = 8081;

  /** storage-svc: health and metrics. */
  public static final int STORAGE_HTTP = 8082;

  /** query-svc: REST API, Jaeger API, GraphQL and web UI. */
  public static final int QUERY_HTTP = 16686;

  private ServicePorts() {}
}
