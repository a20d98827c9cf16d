package dev.cairn.e2e;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the sampler published to a pipeline's {@code cairn.spans.sampled}, read as storage reads it
 * (committed transactions only), to the end of the topic: how often each span of the given traces
 * appears. Storage absorbs duplicates, so only here does a span published twice show.
 */
final class SampledTopic {

  private SampledTopic() {}

  /** Per trace id (hex) of {@code traceIds}: span id (hex) → times published. */
  static Map<String, Map<String, Integer>> spanCounts(String topic, Set<String> traceIds) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Pipeline.KAFKA);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-sampled-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " to its end took over 60 s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String traceId = TraceId.fromBytes(record.key()).toHex();
          if (!traceIds.contains(traceId)) {
            continue;
          }
          for (Span span : OtlpSpanMapper.toSpans(TraceWireCodec.decode(record.value()))) {
            counts
                .computeIfAbsent(traceId, k -> new HashMap<>())
                .merge(span.spanId().toHex(), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }
}
