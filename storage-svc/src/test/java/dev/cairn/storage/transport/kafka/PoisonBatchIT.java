package dev.cairn.storage.transport.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.store.pg.StoredSpans;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A record that PostgreSQL itself refuses does not block its lane: between good records on the same
 * partition, it goes to the dead-letter topic unchanged with its reason and source, the good ones
 * are stored, and the committed offset moves past it.
 *
 * <p>The poison is real: a span name of 10,000 random characters makes the btree index on (service
 * name, span name, start time) refuse the row ("index row size exceeds btree maximum 2704",
 * SQLState 54000, program limit exceeded). An empty record value is the undecodable neighbour.
 */
@QuarkusTest
class PoisonBatchIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int GOOD_BEFORE = 5;
  private static final int GOOD_AFTER = 5;

  /** All on one partition, so the poison sits between good records of the same lane. */
  private static final int PARTITION = 0;

  @Inject StorageConfig config;
  @Inject AgroalDataSource dataSource;

  @Test
  void poisonRecordsAreDeadLetteredAndTheirNeighboursStored() throws Exception {
    double refusedBefore = counter("store_refused");
    double emptyBefore = counter("empty");
    long now = System.currentTimeMillis() * 1_000_000L;
    List<TraceId> good = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < GOOD_BEFORE; i++) {
      good.add(SpanFixtures.randomTraceId());
      records.add(record(SpanFixtures.threeServiceTrace(good.get(i), now - i * 1_000_000L)));
    }
    TraceId poisonTrace = SpanFixtures.randomTraceId();
    List<Span> poisonSpans = new ArrayList<>(SpanFixtures.threeServiceTrace(poisonTrace, now));
    poisonSpans.add(
        SpanFixtures.span(poisonTrace, SpanFixtures.CHECKOUT, randomText(10_000))
            .start(now)
            .end(now + 1_000_000L)
            .build());
    ProducerRecord<byte[], byte[]> poison = record(poisonSpans);
    records.add(poison);
    ProducerRecord<byte[], byte[]> empty =
        new ProducerRecord<>(
            config.kafka().topic(), PARTITION, TraceWireCodec.key(poisonTrace), new byte[0]);
    records.add(empty);
    for (int i = 0; i < GOOD_AFTER; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      good.add(id);
      records.add(record(SpanFixtures.threeServiceTrace(id, now + i * 1_000_000L)));
    }

    List<RecordMetadata> acks = produce(records);
    long poisonOffset = acks.get(GOOD_BEFORE).offset();
    long emptyOffset = acks.get(GOOD_BEFORE + 1).offset();
    long end = acks.get(acks.size() - 1).offset() + 1;

    awaitCommitted(end);

    assertThat(storedSpans(good))
        .as("every good span stored, before and after the poison")
        .isEqualTo((long) good.size() * SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    assertThat(storedSpans(List.of(poisonTrace))).as("nothing of the refused record").isZero();

    Map<Long, ConsumerRecord<byte[], byte[]>> dead = deadLetters(poisonOffset, emptyOffset);
    ConsumerRecord<byte[], byte[]> refused = dead.get(poisonOffset);
    assertThat(refused.key()).isEqualTo(poison.key());
    assertThat(refused.value()).isEqualTo(poison.value());
    assertThat(header(refused, WireHeaders.RETENTION)).isEqualTo("extended");
    assertThat(header(refused, DeadLetterPublisher.REASON))
        .startsWith("store_refused: ")
        .contains("54000")
        .hasSizeLessThanOrEqualTo(DeadLetterPublisher.MAX_REASON_CHARS);
    assertThat(header(refused, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(config.kafka().topic());
    assertThat(header(refused, DeadLetterPublisher.SOURCE_PARTITION))
        .isEqualTo(String.valueOf(PARTITION));
    assertThat(header(refused, DeadLetterPublisher.SOURCE_OFFSET))
        .isEqualTo(String.valueOf(poisonOffset));
    ConsumerRecord<byte[], byte[]> undecodable = dead.get(emptyOffset);
    assertThat(undecodable.value()).isEmpty();
    assertThat(header(undecodable, DeadLetterPublisher.REASON)).startsWith("empty: ");

    assertThat(counter("store_refused")).isEqualTo(refusedBefore + 1);
    assertThat(counter("empty")).isEqualTo(emptyBefore + 1);
    given().get("/q/health/ready").then().statusCode(200);
  }

  // ------------------------------------------------------------------ helpers

  private ProducerRecord<byte[], byte[]> record(List<Span> spans) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            config.kafka().topic(),
            PARTITION,
            TraceWireCodec.key(spans.get(0).traceId()),
            TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)));
    record
        .headers()
        .add(
            WireHeaders.RETENTION,
            RetentionClass.EXTENDED.headerValue().getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /** Letters and digits, random enough that PostgreSQL cannot compress them below the limit. */
  private static String randomText(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /** Sends all records at once (so they tend to share a batch) and waits for every ack. */
  private List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      List<RecordMetadata> acks = new ArrayList<>();
      for (Future<RecordMetadata> ack : sent) {
        acks.add(ack.get(10, TimeUnit.SECONDS));
      }
      return acks;
    }
  }

  private void awaitCommitted(long offset) throws Exception {
    TopicPartition partition = new TopicPartition(config.kafka().topic(), PARTITION);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        OffsetAndMetadata committed =
            admin
                .listConsumerGroupOffsets(config.kafka().groupId())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .get(partition);
        if (committed != null && committed.offset() >= offset) {
          return;
        }
        assertThat(System.nanoTime())
            .as("offset %d committed in time (committed: %s)", offset, committed)
            .isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  /** The dead letters of the given source offsets of this run's topic, by source offset. */
  private Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters(Long... sourceOffsets) {
    Map<Long, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      String topic = config.kafka().deadLetterTopic();
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (found.size() < sourceOffsets.length) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (config.kafka().topic().equals(header(record, DeadLetterPublisher.SOURCE_TOPIC))
              && String.valueOf(PARTITION)
                  .equals(header(record, DeadLetterPublisher.SOURCE_PARTITION))) {
            found.put(Long.parseLong(header(record, DeadLetterPublisher.SOURCE_OFFSET)), record);
          }
        }
        assertThat(System.nanoTime()).as("dead letters arrived in time").isLessThan(deadline);
      }
    }
    assertThat(found).containsOnlyKeys(sourceOffsets);
    return found;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static double counter(String reason) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher value =
        Pattern.compile(
                "^cairn_storage_records_dead_lettered_total\\{reason=\"" + reason + "\"} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  private long storedSpans(List<TraceId> traces) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return StoredSpans.of(connection, traces).size();
    }
  }
}
