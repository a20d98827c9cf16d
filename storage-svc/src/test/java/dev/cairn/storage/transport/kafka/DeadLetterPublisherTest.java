package dev.cairn.storage.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.SpanRecordDecoder.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

  private static final byte[] KEY = {1, 2, 3};
  private static final byte[] VALUE = {(byte) 0xff, 0, 7};

  private static ConsumerRecord<byte[], byte[]> source() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader("cairn-retention", "extended".getBytes(StandardCharsets.UTF_8)));
    return new ConsumerRecord<>(
        "cairn.spans.sampled",
        4,
        1234L,
        1_700_000_000_000L,
        TimestampType.CREATE_TIME,
        KEY.length,
        VALUE.length,
        KEY,
        VALUE,
        headers,
        Optional.empty());
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void forwardsTheRecordUnchangedWithWhyAndWhereFrom() {
    DeadLetter letter =
        new DeadLetter(source(), Rejection.STORE_REFUSED, "SQLState 54000: index row too large");

    ProducerRecord<byte[], byte[]> record = DeadLetterPublisher.toRecord(letter, "dead");

    assertThat(record.topic()).isEqualTo("dead");
    assertThat(record.key()).isEqualTo(KEY);
    assertThat(record.value()).isEqualTo(VALUE);
    assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(header(record, "cairn-retention")).isEqualTo("extended");
    assertThat(header(record, DeadLetterPublisher.REASON))
        .isEqualTo("store_refused: SQLState 54000: index row too large");
    assertThat(header(record, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo("cairn.spans.sampled");
    assertThat(header(record, DeadLetterPublisher.SOURCE_PARTITION)).isEqualTo("4");
    assertThat(header(record, DeadLetterPublisher.SOURCE_OFFSET)).isEqualTo("1234");
    assertThat(letter.source().headers().toArray()).as("the source is not modified").hasSize(1);
  }

  @Test
  void theReasonIsBounded() {
    String detail = "x".repeat(DeadLetterPublisher.MAX_REASON_CHARS - 3) + "\uD83D\uDE00 and more";
    String reason =
        DeadLetterPublisher.reason(new DeadLetter(source(), Rejection.INVALID_SPAN, detail));
    assertThat(reason).hasSizeLessThanOrEqualTo(DeadLetterPublisher.MAX_REASON_CHARS);
    assertThat(reason).startsWith("invalid_span: xxx").endsWith("…");
    assertThat(Character.isHighSurrogate(reason.charAt(reason.length() - 2))).isFalse();
  }

  @Test
  void anUnacknowledgedPublishFailsForRetry() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterPublisher publisher =
        new DeadLetterPublisher(producer, "dead", Duration.ofSeconds(5));
    List<DeadLetter> letters = List.of(new DeadLetter(source(), Rejection.EMPTY, "no value"));

    CompletableFuture<Void> failing =
        CompletableFuture.runAsync(
            () -> {
              while (!producer.errorNext(new TimeoutException("broker unreachable"))) {
                Thread.onSpinWait();
              }
            });
    assertThatThrownBy(() -> publisher.publish(letters))
        .isInstanceOf(DeadLetterUnavailableException.class)
        .hasMessageContaining("broker unreachable");
    failing.join();

    CompletableFuture<Void> acking =
        CompletableFuture.runAsync(
            () -> {
              while (!producer.completeNext()) {
                Thread.onSpinWait();
              }
            });
    publisher.publish(letters);
    acking.join();
    assertThat(producer.history()).hasSize(2);
  }
}
