package dev.cairn.store;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/**
 * Writes spans to the trace store.
 *
 * <p>Contract every implementation keeps, so that a Kafka consumer in front of it can simply retry:
 * {@link #write} returns only after the whole batch is durable (committed), and it is idempotent:
 * writing a span again (same trace id, span id and start time, the store's unique key) never
 * duplicates it.
 */
public interface SpanWriter {

  /**
   * Writes the spans into the hypertable of their retention class, all or nothing.
   *
   * @throws StoreUnavailableException when the store could not take the batch for a reason that may
   *     pass ({@link StoreFailure#TRANSIENT}); nothing or all of it may have been written, and
   *     writing it again is safe
   * @throws InvalidSpanBatchException when the store refused data of the batch ({@link
   *     StoreFailure#PERMANENT}); nothing of it was written, and the same batch fails again
   */
  void write(RetentionClass retention, List<Span> spans);

  /**
   * As {@link #write(RetentionClass, List)}; {@code late} marks by index the spans the sampler
   * published after their trace's decision (header {@code cairn-late-span}), which the store counts
   * per trace ({@link TraceSpans#lateSpanCount()}).
   */
  default void write(RetentionClass retention, List<Span> spans, java.util.BitSet late) {
    write(retention, spans);
  }

  /**
   * As {@link #write(RetentionClass, List, java.util.BitSet)} of the records' spans in order, late
   * where their record is; a store may keep a record's bytes as the encoding of its spans.
   */
  default void writeEncoded(RetentionClass retention, List<EncodedSpans> records) {
    write(retention, EncodedSpans.spansOf(records), EncodedSpans.lateOf(records));
  }
}
