package dev.cairn.sampler.spanmetrics;

import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The fields of one span that span metrics use, read once from its OTLP message.
 *
 * @param parentSpanId 0 for a root span
 * @param weight the span's adjusted count (1 / head-sampling probability)
 * @param otlp the span itself, for the attributes a virtual edge is named by
 */
record ObservedSpan(
    long spanId,
    long parentSpanId,
    String service,
    String name,
    SpanKind kind,
    StatusCode status,
    long startUnixNano,
    long durationNanos,
    double weight,
    Span otlp) {

  boolean isError() {
    return status == StatusCode.ERROR;
  }
}
