package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/**
 * The spans of one Kafka record, decoded, with the retention class its header asked for.
 *
 * @param late the sampler published the record after its trace's decision (header {@code
 *     cairn-late-span: true}): the store counts its spans as late in the trace's summary
 */
public record SpanRecord(RetentionClass retention, List<Span> spans, boolean late) {
  public SpanRecord {
    spans = List.copyOf(spans);
  }

  /** A record published with its trace's decision. */
  public SpanRecord(RetentionClass retention, List<Span> spans) {
    this(retention, spans, false);
  }
}
