package dev.cairn.model.wire;

import dev.cairn.model.TraceId;
import io.opentelemetry.proto.trace.v1.TracesData;

/** The spans of one trace out of a larger batch, with their resources and scopes kept. */
public record TracePart(TraceId traceId, TracesData data, int spanCount) {}
