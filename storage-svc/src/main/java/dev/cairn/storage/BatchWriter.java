package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a batch of decoded records through the {@link SpanWriter}, one transaction per retention
 * class. Returns only when every span is durable (or was refused by the store and reported); throws
 * {@link StoreUnavailableException} otherwise, and the caller retries the whole batch, which the
 * writer's idempotence makes safe.
 */
public final class BatchWriter {

  private final SpanWriter writer;

  public BatchWriter(SpanWriter writer) {
    this.writer = writer;
  }

  /**
   * @param refused called with each record the store refused (its data cannot be stored; retrying
   *     would fail forever), after the rest of the batch was written
   * @return the number of spans written
   * @throws StoreUnavailableException when the batch may not be durable; retry it
   */
  public int write(List<SpanRecord> records, Consumer<SpanRecord> refused) {
    Map<RetentionClass, List<SpanRecord>> byRetention = new EnumMap<>(RetentionClass.class);
    for (SpanRecord record : records) {
      byRetention.computeIfAbsent(record.retention(), r -> new ArrayList<>()).add(record);
    }
    int written = 0;
    for (Map.Entry<RetentionClass, List<SpanRecord>> group : byRetention.entrySet()) {
      written += writeGroup(group.getKey(), group.getValue(), refused);
    }
    return written;
  }

  private int writeGroup(
      RetentionClass retention, List<SpanRecord> records, Consumer<SpanRecord> refused) {
    List<Span> spans = new ArrayList<>();
    records.forEach(record -> spans.addAll(record.spans()));
    try {
      writer.write(retention, spans);
      return spans.size();
    } catch (InvalidSpanBatchException e) {
      // Find the offending records one by one; the others still land (idempotently).
      int written = 0;
      for (SpanRecord record : records) {
        try {
          writer.write(retention, record.spans());
          written += record.spans().size();
        } catch (InvalidSpanBatchException refusedRecord) {
          refused.accept(record);
        }
      }
      return written;
    }
  }
}
