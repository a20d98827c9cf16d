package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.loadgen.generate.TraceIds;
import dev.cairn.model.wire.RetentionClass;

/**
 * A trace the loader wrote, noted in the manifest so that benchmarks can ask for it.
 *
 * @param slice the slice of the plan it belongs to (regenerating that slice gives it again)
 * @param traceId lower-case hex
 * @param startNanos root span start, Unix epoch nanoseconds
 * @param endNanos root span end
 * @param customerId its {@code app.customer_id}, or null
 */
public record SampleTrace(
    int slice,
    String traceId,
    long startNanos,
    long endNanos,
    int spans,
    String rootService,
    String rootOperation,
    boolean error,
    RetentionClass retention,
    String customerId) {

  static SampleTrace of(int slice, GeneratedTrace trace, RetentionClass retention) {
    io.opentelemetry.proto.trace.v1.Span root = trace.spans().get(0).span();
    return new SampleTrace(
        slice,
        TraceIds.hex(trace.traceId()),
        root.getStartTimeUnixNano(),
        root.getEndTimeUnixNano(),
        trace.spanCount(),
        trace.rootService(),
        trace.rootOperation(),
        trace.hasError(),
        retention,
        trace.customerId());
  }
}
