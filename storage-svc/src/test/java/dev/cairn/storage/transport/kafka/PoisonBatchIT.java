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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 *
 * <p>Spans older than their class keeps are dead-lettered the same way, with reason {@code
 * expired}.
 */
@QuarkusTest
@TestProfile(PoisonBatchIT.RetentionWindowOn.class)
class PoisonBatchIT {

  /**
   * The retention window applies (tests run with retention off otherwise); the jobs' first run is
   * an hour away, so none touches the schema while the test runs.
   */
  public static final class RetentionWindowOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "cairn.storage.retention.enabled", "true",
          "cairn.storage.retention.schedule.initial-delay", "1h");
    }
  }

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

  /**
   * A late span for a time range its class no longer keeps (a standard span 8 days old, standard
   * keeping 7) is not written into a chunk retention drops: its record goes to the dead-letter
   * topic with reason {@code expired}, the spans refused are counted, and the record's other spans
   * and its neighbours are stored.
   */
  @Test
  void expiredSpansAreDeadLetteredWithTheirReasonAndTheRestStored() throws Exception {
    double expiredRecordsBefore = counter("expired");
    double expiredSpansBefore = refusedSpans("expired");
    long now = System.currentTimeMillis() * 1_000_000L;
    long eightDaysAgo = now - Duration.ofDays(8).toNanos();
    TraceId fresh = SpanFixtures.randomTraceId();
    TraceId expired = SpanFixtures.randomTraceId();
    TraceId mixed = SpanFixtures.randomTraceId();
    List<Span> mixedSpans = new ArrayList<>(SpanFixtures.threeServiceTrace(mixed, now));
    mixedSpans.add(
        SpanFixtures.span(mixed, SpanFixtures.CHECKOUT, "late-retry")
            .start(eightDaysAgo)
            .end(eightDaysAgo + 1_000_000L)
            .build());
    // older than standard keeps, within what extended keeps (30 days)
    TraceId extendedOld = SpanFixtures.randomTraceId();
    List<ProducerRecord<byte[], byte[]>> records =
        List.of(
            record(SpanFixtures.threeServiceTrace(fresh, now), RetentionClass.STANDARD),
            record(SpanFixtures.threeServiceTrace(expired, eightDaysAgo), RetentionClass.STANDARD),
            record(mixedSpans, RetentionClass.STANDARD),
            record(
                SpanFixtures.threeServiceTrace(extendedOld, eightDaysAgo),
                RetentionClass.EXTENDED));

    List<RecordMetadata> acks = produce(records);
    long expiredOffset = acks.get(1).offset();
    long mixedOffset = acks.get(2).offset();
    awaitCommitted(acks.get(acks.size() - 1).offset() + 1);

    int perTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(storedSpans(List.of(fresh))).isEqualTo(perTrace);
    assertThat(storedSpans(List.of(extendedOld))).isEqualTo(perTrace);
    assertThat(storedSpans(List.of(expired))).as("nothing of the expired record").isZero();
    assertThat(storedSpans(List.of(mixed)))
        .as("the mixed record's recent spans")
        .isEqualTo(perTrace);

    Map<Long, ConsumerRecord<byte[], byte[]>> dead = deadLetters(expiredOffset, mixedOffset);
    assertThat(dead.get(expiredOffset).value()).isEqualTo(records.get(1).value());
    assertThat(header(dead.get(expiredOffset), DeadLetterPublisher.REASON))
        .startsWith("expired: " + perTrace + " of " + perTrace + " spans")
        .contains("standard");
    assertThat(dead.get(mixedOffset).value()).isEqualTo(records.get(2).value());
    assertThat(header(dead.get(mixedOffset), DeadLetterPublisher.REASON))
        .startsWith("expired: 1 of " + (perTrace + 1) + " spans");
    assertThat(counter("expired")).isEqualTo(expiredRecordsBefore + 2);
    assertThat(refusedSpans("expired")).isEqualTo(expiredSpansBefore + perTrace + 1);
  }

  // ------------------------------------------------------------------ helpers

  private ProducerRecord<byte[], byte[]> record(List<Span> spans) {
    return record(spans, RetentionClass.EXTENDED);
  }

  private ProducerRecord<byte[], byte[]> record(List<Span> spans, RetentionClass retention) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            config.kafka().topic(),
            PARTITION,
            TraceWireCodec.key(spans.get(0).traceId()),
            TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)));
    record
        .headers()
        .add(WireHeaders.RETENTION, retention.headerValue().getBytes(StandardCharsets.UTF_8));
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
    java.util.Set<Long> wanted = java.util.Set.of(sourceOffsets);
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
            long offset = Long.parseLong(header(record, DeadLetterPublisher.SOURCE_OFFSET));
            if (wanted.contains(offset)) { // the other test's letters share the topic
              found.put(offset, record);
            }
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
    return metric("cairn_storage_records_dead_lettered_total", reason);
  }

  private static double refusedSpans(String reason) {
    return metric("cairn_storage_spans_refused_total", reason);
  }

  private static double metric(String name, String reason) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher value =
        Pattern.compile("^" + name + "\\{reason=\"" + reason + "\"} (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  private long storedSpans(List<TraceId> traces) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return StoredSpans.of(connection, traces).size();
    }
  }
}
