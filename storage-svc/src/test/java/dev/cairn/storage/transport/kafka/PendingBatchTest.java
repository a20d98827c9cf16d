package dev.cairn.storage.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.SpanRecord;
import dev.cairn.storage.SpanRecordDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private static ConsumerRecord<byte[], byte[]> consumed(TopicPartition partition, long offset) {
    return new ConsumerRecord<>(
        partition.topic(), partition.partition(), offset, new byte[16], new byte[] {1});
  }

  private static SpanRecordDecoder.Result decoded() {
    return new SpanRecordDecoder.Decoded(
        new SpanRecord(
            RetentionClass.STANDARD,
            SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L)));
  }

  @Test
  void commitsPastTheLastRecordAndRereadsFromTheFirst() {
    PendingBatch batch = new PendingBatch();
    batch.add(consumed(P0, 7), decoded());
    batch.add(
        consumed(P1, 3), new SpanRecordDecoder.Rejected(SpanRecordDecoder.Rejection.EMPTY, "x"));
    batch.add(consumed(P0, 8), decoded());

    assertThat(batch.nextOffsets())
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(9), P1, new OffsetAndMetadata(4)));
    assertThat(batch.firstOffsets()).isEqualTo(Map.of(P0, 7L, P1, 3L));
    assertThat(batch.records()).hasSize(2);
  }

  @Test
  void deadLettersAreTheRejectedAndTheRefusedRecordsThemselves() {
    PendingBatch batch = new PendingBatch();
    ConsumerRecord<byte[], byte[]> first = consumed(P0, 10);
    ConsumerRecord<byte[], byte[]> undecodable = consumed(P0, 11);
    ConsumerRecord<byte[], byte[]> refused = consumed(P0, 12);
    batch.add(first, decoded());
    batch.add(
        undecodable,
        new SpanRecordDecoder.Rejected(
            SpanRecordDecoder.Rejection.MALFORMED_PROTOBUF, "truncated message"));
    batch.add(refused, decoded());
    batch.add(consumed(P1, 0), decoded());

    List<DeadLetter> letters =
        batch.deadLetters(List.of(new BatchWriter.Refused(1, "SQLState 54000: too large")));

    assertThat(letters)
        .containsExactly(
            new DeadLetter(
                undecodable, SpanRecordDecoder.Rejection.MALFORMED_PROTOBUF, "truncated message"),
            new DeadLetter(
                refused, SpanRecordDecoder.Rejection.STORE_REFUSED, "SQLState 54000: too large"));
    assertThat(batch.deadLetters(List.of())).hasSize(1);
  }

  @Test
  void recordsWithExpiredSpansAreDeadLetteredOnceAsExpiredUnlessRefused() {
    PendingBatch batch = new PendingBatch();
    ConsumerRecord<byte[], byte[]> stored = consumed(P0, 20);
    ConsumerRecord<byte[], byte[]> expired = consumed(P0, 21);
    ConsumerRecord<byte[], byte[]> both = consumed(P0, 22);
    batch.add(stored, decoded());
    batch.add(expired, decoded());
    batch.add(both, decoded());

    List<DeadLetter> letters =
        batch.deadLetters(
            List.of(new BatchWriter.Refused(2, "SQLState 54000: too large")),
            List.of(
                new BatchWriter.Refused(1, "3 of 3 spans"),
                new BatchWriter.Refused(2, "1 of 3 spans")));

    assertThat(letters)
        .containsExactly(
            new DeadLetter(expired, SpanRecordDecoder.Rejection.EXPIRED, "3 of 3 spans"),
            new DeadLetter(
                both, SpanRecordDecoder.Rejection.STORE_REFUSED, "SQLState 54000: too large"));
  }

  @Test
  void isFullBySpansAndDropsRevokedPartitions() {
    PendingBatch batch = new PendingBatch();
    int perTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    batch.add(consumed(P0, 1), decoded());
    batch.add(consumed(P1, 1), decoded());
    assertThat(batch.isFull(2 * perTrace)).isTrue();
    assertThat(batch.isOlderThan(Duration.ofHours(1))).isFalse();

    batch.drop(List.of(P1));

    assertThat(batch.isFull(2 * perTrace)).isFalse();
    assertThat(batch.nextOffsets()).containsOnlyKeys(P0);
  }

  @Test
  void aRecordJoinsOnlyIfTheBatchStaysWithinTheBound() {
    PendingBatch batch = new PendingBatch();
    int perTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(batch.fits(10 * perTrace, perTrace)).as("an empty batch takes any record").isTrue();
    batch.add(consumed(P0, 1), decoded());
    assertThat(batch.fits(perTrace, 2 * perTrace)).isTrue();
    assertThat(batch.fits(perTrace + 1, 2 * perTrace)).isFalse();
    batch.add(consumed(P1, 1), decoded());
    assertThat(batch.spans()).isEqualTo(2 * perTrace);
    assertThat(batch.partitions()).containsExactlyInAnyOrder(P0, P1);
    assertThat(batch.fits(1, 2 * perTrace)).isFalse();
  }
}
