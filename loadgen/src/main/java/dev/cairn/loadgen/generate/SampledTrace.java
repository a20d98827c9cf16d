package dev.cairn.loadgen.generate;

/**
 * A trace picked for the trace-id log, so that its arrival in the query API can be timed later.
 *
 * @param traceIdHex lower-case hex trace id
 * @param spanCount spans the trace has
 * @param rootService service of its root span
 * @param rootOperation name of its root span
 * @param hasError whether it carries an injected failure
 */
public record SampledTrace(
    String traceIdHex, int spanCount, String rootService, String rootOperation, boolean hasError) {

  static SampledTrace of(GeneratedTrace trace) {
    return new SampledTrace(
        TraceIds.hex(trace.traceId()),
        trace.spanCount(),
        trace.rootService(),
        trace.rootOperation(),
        trace.hasError());
  }
}
