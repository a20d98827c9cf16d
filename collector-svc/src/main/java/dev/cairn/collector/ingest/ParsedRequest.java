package dev.cairn.collector.ingest;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * An export request as {@link OtlpRequestParser} read it.
 *
 * @param invalidUtf8Replaced invalid UTF-8 sequences of its string fields that were replaced with
 *     U+FFFD so that the request could be read at all
 * @param mayHoldUnpairedSurrogates false when every string was decoded from valid UTF-8 (protobuf),
 *     true when they may come from {@code \\uD800}-style escapes (OTLP JSON) or are unknown
 */
public record ParsedRequest(
    ExportTraceServiceRequest request,
    long invalidUtf8Replaced,
    boolean mayHoldUnpairedSurrogates) {}
