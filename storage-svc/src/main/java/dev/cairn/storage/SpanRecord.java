package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.EncodedSpans;
import java.util.List;

/**
 * The spans of one Kafka record, decoded, with the retention class its header asked for.
 *
 * @param late the sampler published the record after its trace's decision (header {@code
 *     cairn-late-span: true}): the store counts its spans as late in the trace's summary
 * @param tracesData the record value the spans were decoded from, which the store keeps instead of
 *     encoding them again; null when some of them were left out
 */
public record SpanRecord(
    RetentionClass retention, List<Span> spans, boolean late, byte[] tracesData) {
  public SpanRecord {
    spans = List.copyOf(spans);
  }

  /** Spans without the record value they came in. */
  public SpanRecord(RetentionClass retention, List<Span> spans, boolean late) {
    this(retention, spans, late, null);
  }

  /** A record published with its trace's decision. */
  public SpanRecord(RetentionClass retention, List<Span> spans) {
    this(retention, spans, false);
  }

  /** The spans as the store takes them. */
  public EncodedSpans encoded() {
    return new EncodedSpans(spans, tracesData, late);
  }
}
