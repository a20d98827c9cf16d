package dev.cairn.collector;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a test's records back from the real broker, keeping only the traces the test created. */
public final class TopicReader {

  /** One record of the wire format, decoded, with where it was and its encoded size. */
  public record WireRecord(
      TraceId key, TracesData value, int partition, long offset, int valueBytes) {
    public int spanCount() {
      return value.getResourceSpansList().stream()
          .flatMap(r -> r.getScopeSpansList().stream())
          .mapToInt(s -> s.getSpansCount())
          .sum();
    }

    public List<String> spanNames() {
      return value.getResourceSpansList().stream()
          .flatMap(r -> r.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream())
          .map(s -> s.getName())
          .collect(Collectors.toList());
    }
  }

  private TopicReader() {}

  /**
   * Reads the topic from the beginning until {@code minSpans} spans of the given traces arrived,
   * then keeps reading for {@code settle} to catch any record that should not be there.
   */
  public static List<WireRecord> read(
      String bootstrap, String topic, Set<TraceId> traces, int minSpans, Duration settle) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "collector-it-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<WireRecord> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TraceId key = TraceWireCodec.traceIdOfKey(record.key());
          if (traces.contains(key)) {
            found.add(
                new WireRecord(
                    key,
                    TraceWireCodec.decode(record.value()),
                    record.partition(),
                    record.offset(),
                    record.value().length));
          }
        }
        if (settleUntil == Long.MAX_VALUE
            && found.stream().mapToInt(WireRecord::spanCount).sum() >= minSpans) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return found;
  }
}
