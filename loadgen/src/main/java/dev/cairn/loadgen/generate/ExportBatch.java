package dev.cairn.loadgen.generate;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;

/**
 * One OTLP export request and what it holds.
 *
 * @param request spans grouped per resource, as an SDK or collector sends them
 * @param spanCount spans in the request
 * @param traceCount whole traces in the request
 * @param sampled the traces of this request picked for the trace-id log
 */
public record ExportBatch(
    ExportTraceServiceRequest request, int spanCount, int traceCount, List<SampledTrace> sampled) {

  public ExportBatch {
    sampled = List.copyOf(sampled);
  }
}
