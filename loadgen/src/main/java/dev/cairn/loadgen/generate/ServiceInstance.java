package dev.cairn.loadgen.generate;

import io.opentelemetry.proto.resource.v1.Resource;

/**
 * One replica of a service: the OTLP resource its SDK would report.
 *
 * @param serviceName {@code service.name}
 * @param resource service.name, service.instance.id, host.name, k8s.pod.name, …
 */
public record ServiceInstance(String serviceName, Resource resource) {}
