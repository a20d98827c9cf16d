package dev.cairn.loadgen.generate;

import io.opentelemetry.proto.trace.v1.Span;

/**
 * A span and the replica that emitted it.
 *
 * @param instance whose resource the span is exported under
 * @param span the OTLP span
 */
public record GeneratedSpan(ServiceInstance instance, Span span) {}
