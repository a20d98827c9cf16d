package dev.cairn.query.trace;

import dev.cairn.model.SpanId;
import java.util.List;

/**
 * What the answer knows about the spans it lacks.
 *
 * @param rootFound a span without a parent is in the answer
 * @param missingParentSpanIds parents that spans of the answer name but that are not in it, sorted
 *     by their hex form
 * @param lateSpanCount spans of the trace that reached the sampler after it had decided the trace
 *     (stored, but possibly after an earlier reader saw the trace without them)
 */
public record Completeness(
    boolean rootFound, List<SpanId> missingParentSpanIds, int lateSpanCount) {

  public Completeness {
    missingParentSpanIds = List.copyOf(missingParentSpanIds);
  }

  /** A root, no missing parent, no late span. */
  public boolean complete() {
    return rootFound && missingParentSpanIds.isEmpty() && lateSpanCount == 0;
  }
}
