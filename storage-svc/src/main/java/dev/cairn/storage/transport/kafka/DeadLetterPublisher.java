package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.ProducerProperties;
import dev.cairn.storage.config.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes records that cannot be stored to the dead-letter topic ({@code cairn.spans.dead}): key,
 * value, headers and timestamp unchanged, plus headers saying why and where from. A batch's offsets
 * are committed only after {@link #publish} returned, i.e. every dead letter was acknowledged
 * ({@code acks=all}, {@link ProducerProperties#reliable}), so nothing consumed is dropped silently.
 * A dead letter may be published twice (a retry after a partial failure, a replay after a
 * rebalance); a consumer of the topic can tell by the source offset header.
 */
@ApplicationScoped
public class DeadLetterPublisher {

  /** Why: {@code <reason label>: <detail>}, at most {@link #MAX_REASON_CHARS} characters. */
  public static final String REASON = "cairn-dead-letter-reason";

  public static final String SOURCE_TOPIC = "cairn-dead-letter-topic";

  /** Decimal text. */
  public static final String SOURCE_PARTITION = "cairn-dead-letter-partition";

  /** Decimal text. */
  public static final String SOURCE_OFFSET = "cairn-dead-letter-offset";

  /** Keeps the added headers far below the producer's per-record overhead allowance. */
  static final int MAX_REASON_CHARS = 1024;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration ackTimeout;

  @Inject
  DeadLetterPublisher(StorageConfig config) {
    this(
        new KafkaProducer<>(
            ProducerProperties.reliable(
                config.kafka().bootstrapServers(),
                "cairn-storage-dead-letters",
                config.kafka().deadLetterProducer().bounds())),
        config.kafka().deadLetterTopic(),
        config
            .kafka()
            .deadLetterProducer()
            .deliveryTimeout()
            .plus(config.kafka().deadLetterProducer().maxBlock()));
  }

  DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, Duration ackTimeout) {
    this.producer = producer;
    this.topic = topic;
    this.ackTimeout = ackTimeout;
  }

  String topic() {
    return topic;
  }

  /**
   * Returns once every letter is acknowledged.
   *
   * @throws DeadLetterUnavailableException otherwise; publishing all of them again is safe
   */
  void publish(List<DeadLetter> letters) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
    try {
      for (DeadLetter letter : letters) {
        acks.add(producer.send(toRecord(letter, topic)));
      }
      long deadline = System.nanoTime() + ackTimeout.toNanos();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
  }

  private DeadLetterUnavailableException unavailable(Throwable cause) {
    return new DeadLetterUnavailableException(
        "dead-letter topic " + topic + " did not acknowledge: " + cause, cause);
  }

  /** The source record, unchanged, with the dead-letter headers added. */
  static ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter, String topic) {
    var source = letter.source();
    Headers headers = new RecordHeaders(source.headers().toArray());
    headers.add(REASON, utf8(reason(letter)));
    headers.add(SOURCE_TOPIC, utf8(source.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    Long timestamp = source.timestamp() >= 0 ? source.timestamp() : null;
    return new ProducerRecord<>(topic, null, timestamp, source.key(), source.value(), headers);
  }

  static String reason(DeadLetter letter) {
    String reason = letter.reason().label() + ": " + letter.detail();
    if (reason.length() <= MAX_REASON_CHARS) {
      return reason;
    }
    int end = MAX_REASON_CHARS - 1;
    if (Character.isHighSurrogate(reason.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return reason.substring(0, end) + "…";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
