package dev.cairn.store;

import dev.cairn.model.Span;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Spans as they arrived, with the OTLP {@code TracesData} message they were decoded from, so that a
 * store can keep those bytes instead of encoding the spans again: {@code OtlpSpanMapper.toSpans} of
 * the message gives exactly {@code spans}, in order.
 *
 * @param tracesData the message; null when {@code spans} are not all of it (some were left out)
 * @param late published after their trace's decision ({@link SpanWriter#write(
 *     dev.cairn.model.wire.RetentionClass, List, BitSet)}'s {@code late})
 */
public record EncodedSpans(List<Span> spans, byte[] tracesData, boolean late) {

  public EncodedSpans {
    spans = List.copyOf(spans);
  }

  /** Every record's spans, in order. */
  public static List<Span> spansOf(List<EncodedSpans> records) {
    int count = 0;
    for (EncodedSpans record : records) {
      count += record.spans().size();
    }
    List<Span> spans = new ArrayList<>(count);
    records.forEach(record -> spans.addAll(record.spans()));
    return spans;
  }

  /** Which of {@link #spansOf} are late, by index. */
  public static BitSet lateOf(List<EncodedSpans> records) {
    BitSet late = new BitSet();
    int index = 0;
    for (EncodedSpans record : records) {
      if (record.late()) {
        late.set(index, index + record.spans().size());
      }
      index += record.spans().size();
    }
    return late;
  }
}
