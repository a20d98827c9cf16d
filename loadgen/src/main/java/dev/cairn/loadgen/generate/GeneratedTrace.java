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
 */
public record GeneratedTrace(
    byte[] traceId,
    String rootService,
    String rootOperation,
    List<GeneratedSpan> spans,
    boolean hasError) {

  public GeneratedTrace {
    spans = List.copyOf(spans);
  }

  public int spanCount() {
    return spans.size();
  }
}
