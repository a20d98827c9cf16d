package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/** The spans of one Kafka record, decoded, with the retention class its header asked for. */
public record SpanRecord(RetentionClass retention, List<Span> spans) {
  public SpanRecord {
    spans = List.copyOf(spans);
  }
}
