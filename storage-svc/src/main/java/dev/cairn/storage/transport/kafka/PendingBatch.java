package dev.cairn.storage.transport.kafka;

import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.SpanRecord;
import dev.cairn.storage.SpanRecordDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * Records polled but not yet written, with the offsets to commit once they are. Each entry keeps
 * the consumed record itself, so that one that cannot be stored goes to the dead-letter topic
 * unchanged; memory stays bounded by the batch bound (two batches per lane). Not thread-safe.
 */
final class PendingBatch {

  private record Entry(
      TopicPartition partition,
      ConsumerRecord<byte[], byte[]> source,
      SpanRecordDecoder.Result result) {

    long offset() {
      return source.offset();
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private int spans;
  private long firstAddedAt;

  void add(ConsumerRecord<byte[], byte[]> source, SpanRecordDecoder.Result result) {
    if (entries.isEmpty()) {
      firstAddedAt = System.nanoTime();
    }
    entries.add(new Entry(new TopicPartition(source.topic(), source.partition()), source, result));
    if (result instanceof SpanRecordDecoder.Decoded decoded) {
      spans += decoded.record().spans().size();
    }
  }

  boolean isFull(int maxSpans) {
    return spans >= maxSpans;
  }

  /**
   * Whether a record of {@code recordSpans} spans may join without the batch exceeding {@code
   * maxSpans}. An empty batch takes any record, so a record larger than the bound is still written
   * (alone).
   */
  boolean fits(int recordSpans, int maxSpans) {
    return entries.isEmpty() || spans + recordSpans <= maxSpans;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int spans() {
    return spans;
  }

  /** The partitions with a record in the batch. */
  Set<TopicPartition> partitions() {
    Set<TopicPartition> partitions = new HashSet<>();
    for (Entry entry : entries) {
      partitions.add(entry.partition());
    }
    return partitions;
  }

  boolean isOlderThan(Duration maxWait) {
    return !entries.isEmpty() && System.nanoTime() - firstAddedAt >= maxWait.toNanos();
  }

  /** The decoded records, in order: what {@link dev.cairn.storage.BatchWriter} writes. */
  /**
   * The headers of the batch's records, in order (their trace context, when Cairn traces itself).
   */
  List<Headers> headers() {
    List<Headers> headers = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      headers.add(entry.source().headers());
    }
    return headers;
  }

  List<SpanRecord> records() {
    List<SpanRecord> records = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      if (entry.result() instanceof SpanRecordDecoder.Decoded decoded) {
        records.add(decoded.record());
      }
    }
    return records;
  }

  /**
   * What goes to the dead-letter topic: the records that failed to decode and those the store
   * refused, in offset order.
   *
   * @param refused indexes into {@link #records()}
   */
  List<DeadLetter> deadLetters(List<BatchWriter.Refused> refused) {
    return deadLetters(refused, List.of());
  }

  /**
   * As {@link #deadLetters(List)}, and the records with spans older than their class keeps ({@link
   * BatchWriter.Outcome#expiredRecords()}). A record both refused and expired goes once, as
   * refused.
   *
   * @param expired indexes into {@link #records()}
   */
  List<DeadLetter> deadLetters(
      List<BatchWriter.Refused> refused, List<BatchWriter.Refused> expired) {
    Map<Integer, String> refusedAt = new HashMap<>();
    refused.forEach(r -> refusedAt.put(r.index(), r.reason()));
    Map<Integer, String> expiredAt = new HashMap<>();
    expired.forEach(r -> expiredAt.put(r.index(), r.reason()));
    List<DeadLetter> letters = new ArrayList<>();
    int decodedIndex = 0;
    for (Entry entry : entries) {
      if (entry.result() instanceof SpanRecordDecoder.Rejected rejected) {
        letters.add(new DeadLetter(entry.source(), rejected.reason(), rejected.detail()));
      } else {
        int index = decodedIndex++;
        String reason = refusedAt.get(index);
        if (reason != null) {
          letters.add(
              new DeadLetter(entry.source(), SpanRecordDecoder.Rejection.STORE_REFUSED, reason));
        } else if (expiredAt.containsKey(index)) {
          letters.add(
              new DeadLetter(
                  entry.source(), SpanRecordDecoder.Rejection.EXPIRED, expiredAt.get(index)));
        }
      }
    }
    return letters;
  }

  /** Per partition, the offset after the last record: what to commit once all are written. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Entry entry : entries) {
      offsets.merge(
          entry.partition(),
          new OffsetAndMetadata(entry.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  /** Per partition, the first offset of the batch: where to read again after a failure. */
  Map<TopicPartition, Long> firstOffsets() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Entry entry : entries) {
      offsets.merge(entry.partition(), entry.offset(), Math::min);
    }
    return offsets;
  }

  void drop(Collection<TopicPartition> partitions) {
    entries.removeIf(entry -> partitions.contains(entry.partition()));
    recount();
  }

  void clear() {
    entries.clear();
    spans = 0;
  }

  private void recount() {
    spans = 0;
    for (Entry entry : entries) {
      if (entry.result() instanceof SpanRecordDecoder.Decoded decoded) {
        spans += decoded.record().spans().size();
      }
    }
  }
}
