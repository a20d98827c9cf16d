package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.EncodedSpans;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of decoded records through the {@link SpanWriter}, one transaction per retention
 * class. Returns only when every span is durable, except those of the records the store refused
 * (reported in the {@link Outcome}); throws {@link StoreUnavailableException} otherwise, and the
 * caller retries the whole batch, which the writer's idempotence makes safe.
 *
 * <p>A refused write ({@link InvalidSpanBatchException}) is bisected: each half is written on its
 * own, recursively, until the refused records stand alone. With k refused records among n, that
 * costs at most {@code 1 + 2k·ceil(log2 n)} writes instead of n, and every other record is stored.
 */
public final class BatchWriter {

  /**
   * A record the store refused: retrying it would fail forever.
   *
   * @param index its position in the list given to {@link #write}
   * @param reason the store's reason (SQLState and message)
   */
  public record Refused(int index, String reason) {}

  /**
   * @param spansWritten spans durably written (replays included)
   * @param refused the refused records, by index
   * @param expired spans not written because their class's retention period had passed (their chunk
   *     is dropped or due for a drop): counted, never written to be dropped unseen
   * @param expiredRecords the records holding those spans, by index, with how many of theirs were
   *     refused: they go to the dead-letter topic as they came, so that none is lost silently (the
   *     rest of such a record is stored; replaying the letter stores nothing twice)
   */
  public record Outcome(
      int spansWritten, List<Refused> refused, int expired, List<Refused> expiredRecords) {
    public Outcome {
      refused = List.copyOf(refused);
      expiredRecords = List.copyOf(expiredRecords);
    }
  }

  /** Whether a span of a class starting at a time may still be stored ({@code RetentionWindow}). */
  @FunctionalInterface
  public interface Admission {
    Admission ALL = (retention, start) -> true;

    boolean admits(RetentionClass retention, Instant start);
  }

  private record Indexed(int index, SpanRecord record) {}

  private final SpanWriter writer;
  private final Admission admission;

  /** A writer that stores every span, whatever its age. */
  public BatchWriter(SpanWriter writer) {
    this(writer, Admission.ALL);
  }

  public BatchWriter(SpanWriter writer, Admission admission) {
    this.writer = writer;
    this.admission = admission;
  }

  /**
   * @throws StoreUnavailableException when the batch may not be durable; retry it
   */
  public Outcome write(List<SpanRecord> records) {
    Map<RetentionClass, List<Indexed>> byRetention = new EnumMap<>(RetentionClass.class);
    int expired = 0;
    List<Refused> expiredRecords = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      SpanRecord record = records.get(i);
      List<Span> admitted = new ArrayList<>(record.spans().size());
      for (Span span : record.spans()) {
        Instant start = Instant.ofEpochSecond(0, span.startTimeUnixNano());
        if (admission.admits(record.retention(), start)) {
          admitted.add(span);
        }
      }
      int refusedSpans = record.spans().size() - admitted.size();
      expired += refusedSpans;
      if (refusedSpans > 0) {
        expiredRecords.add(new Refused(i, expiredReason(record, refusedSpans)));
        // no longer the whole record value: the store encodes what is left
        record = new SpanRecord(record.retention(), admitted, record.late());
      }
      byRetention
          .computeIfAbsent(record.retention(), r -> new ArrayList<>())
          .add(new Indexed(i, record));
    }
    List<Refused> refused = new ArrayList<>();
    int written = 0;
    for (Map.Entry<RetentionClass, List<Indexed>> group : byRetention.entrySet()) {
      written += writeOrBisect(group.getKey(), group.getValue(), refused);
    }
    refused.sort(Comparator.comparingInt(Refused::index));
    return new Outcome(written, refused, expired, expiredRecords);
  }

  private static String expiredReason(SpanRecord record, int refusedSpans) {
    return refusedSpans
        + " of "
        + record.spans().size()
        + " spans start before the "
        + record.retention().headerValue()
        + " class's retention cut-off (their chunks are dropped or due for a drop)";
  }

  private int writeOrBisect(RetentionClass retention, List<Indexed> part, List<Refused> refused) {
    List<EncodedSpans> records = new ArrayList<>(part.size());
    int spans = 0;
    for (Indexed indexed : part) {
      records.add(indexed.record().encoded());
      spans += indexed.record().spans().size();
    }
    try {
      writer.writeEncoded(retention, records);
      return spans;
    } catch (InvalidSpanBatchException e) {
      if (part.size() == 1) {
        refused.add(new Refused(part.get(0).index(), e.getMessage()));
        return 0;
      }
      int half = part.size() / 2;
      return writeOrBisect(retention, part.subList(0, half), refused)
          + writeOrBisect(retention, part.subList(half, part.size()), refused);
    }
  }
}
