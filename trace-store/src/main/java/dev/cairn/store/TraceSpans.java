package dev.cairn.store;

import dev.cairn.model.Span;
import java.util.List;

/**
 * The spans of one trace as read with a cap on their number.
 *
 * @param spans ordered by start time, then span id; at most the cap the caller gave
 * @param truncated the trace has more spans than the cap: {@code spans} are its earliest ones
 * @param storedSpanCount the spans the trace's summary counts, as search reports it ({@code
 *     spanCount}); 0 when no span of the trace is stored
 * @param lateSpanCount stored spans of the trace that the sampler published after it had already
 *     decided the trace (Kafka header {@code cairn-late-span: true})
 */
public record TraceSpans(
    List<Span> spans, boolean truncated, int storedSpanCount, int lateSpanCount) {

  /** No span of the trace is stored. */
  public static final TraceSpans ABSENT = new TraceSpans(List.of(), false, 0, 0);

  public TraceSpans {
    spans = List.copyOf(spans);
    if (lateSpanCount < 0) {
      throw new IllegalArgumentException("lateSpanCount must not be negative: " + lateSpanCount);
    }
  }

  /** A read from a store that does not record late spans. */
  public TraceSpans(List<Span> spans, boolean truncated, int storedSpanCount) {
    this(spans, truncated, storedSpanCount, 0);
  }

  public boolean isEmpty() {
    return spans.isEmpty();
  }
}
