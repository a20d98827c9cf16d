package dev.cairn.loadgen.generate;

import java.util.List;

/**
 * All spans of one trace, root first.
 *
 * @param traceId the 16-byte trace id
 * @param rootService service of the root span
 * @param rootOperation name of the root span
 * @param spans every span of the trace; parents come before their children
 * @param hasError whether a failure was injected into this trace
 * @param customerId the {@code app.customer_id} its server spans carry, or null (no {@link Skew})
 */
public record GeneratedTrace(
    byte[] traceId,
    String rootService,
    String rootOperation,
    List<GeneratedSpan> spans,
    boolean hasError,
    String customerId) {

  public GeneratedTrace {
    spans = List.copyOf(spans);
  }

  /** Root span's duration: the whole trace, since every span lies inside its root. */
  public long durationNanos() {
    io.opentelemetry.proto.trace.v1.Span root = spans.get(0).span();
    return root.getEndTimeUnixNano() - root.getStartTimeUnixNano();
  }

  public int spanCount() {
    return spans.size();
  }
}
