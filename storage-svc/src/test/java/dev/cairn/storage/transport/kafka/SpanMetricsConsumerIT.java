package dev.cairn.storage.transport.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.storage.config.StorageConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The metrics channel against the real broker and TimescaleDB: deltas published to this run's
 * metrics topic are added up in {@code span_metrics} and {@code service_edges}; a record delivered
 * again adds nothing; an aborted transaction's records are never read; a malformed record is
 * counted and holds nothing back.
 */
@QuarkusTest
class SpanMetricsConsumerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SERVICE =
      "metrics-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final long MINUTE = Minutes.of(System.currentTimeMillis() * 1_000_000L);
  private static final long MS = 1_000_000L;

  @Inject StorageConfig config;
  @Inject AgroalDataSource dataSource;
  @Inject SpanMetricsConsumer consumer;

  @Test
  void deltasAddUpOnceAndAReplayAddsNothing() throws Exception {
    String topic = config.metrics().topic();
    int partitions = createTopic(topic, 2);
    int second = 1 % partitions;
    try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
      for (int i = 0; i < 10; i++) {
        // two partitions alternately (when the channel made the topic first, maybe one)
        producer
            .send(new ProducerRecord<>(topic, i % 2 == 0 ? 0 : second, key(), value(i)))
            .get(10, TimeUnit.SECONDS);
      }
      producer
          .send(new ProducerRecord<>(topic, 0, key(), new byte[] {(byte) 0xff, 0x01}))
          .get(10, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> transactional =
        producer("metrics-it-" + UUID.randomUUID())) {
      transactional.initTransactions();
      transactional.beginTransaction();
      transactional.send(new ProducerRecord<>(topic, second, key(), value(100)));
      transactional.flush();
      transactional.abortTransaction();
    }
    try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
      producer
          .send(new ProducerRecord<>(topic, second, key(), value(10)))
          .get(10, TimeUnit.SECONDS);
    }

    awaitStoredOffsets(topic, partitions);

    // values 0..10 (the aborted 100 never counts): 11 deltas of i requests of i ms each
    double expectedCalls = 55.0;
    double expectedDurationSum = 385.0 * MS;
    assertThat(spanTotals()).containsExactly(expectedCalls, 11.0, expectedDurationSum);
    assertThat(edgeTotals()).containsExactly(expectedCalls, 11.0);
    assertThat(exemplarDuration()).isEqualTo(10 * MS); // the slowest delta's
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("cairn_storage_metrics_records_total{outcome=\"malformed\"} 1.0"));

    // Delivered again (a restart before the consumer learnt what was stored): nothing more.
    consumer.consume(readAll(topic, partitions));

    assertThat(spanTotals()).containsExactly(expectedCalls, 11.0, expectedDurationSum);
    assertThat(edgeTotals()).containsExactly(expectedCalls, 11.0);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("cairn_storage_metrics_records_total{outcome=\"replayed\"}"));
  }

  // ------------------------------------------------------------------ helpers

  /** Delta {@code i}: i requests of i ms on an OK server series, one error edge call. */
  private static byte[] value(int i) {
    SeriesAggregate aggregate =
        SeriesAggregate.builder()
            .add(i, i * MS, new Exemplar(new TraceId(1, i + 1), new SpanId(i + 1), i * MS))
            .build();
    return MetricsWireCodec.encode(
        new MetricsBatch(
            List.of(
                new SpanSeries(
                    MINUTE, SERVICE, "GET /", SpanKind.SERVER, StatusCode.OK, aggregate)),
            List.of(new EdgeSeries(MINUTE, SERVICE, "db", EdgeType.VIRTUAL, 1.0, aggregate))));
  }

  private static byte[] key() {
    return MetricsWireCodec.key(SERVICE);
  }

  private KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    Map<String, Object> props = new java.util.HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(props);
  }

  /** Creates the topic unless the channel's subscription made it already; its partitions. */
  private int createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(10, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .size();
    }
  }

  private static List<TopicPartition> partitionsOf(String topic, int count) {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      all.add(new TopicPartition(topic, p));
    }
    return all;
  }

  private Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()));
  }

  /** Every record of the topic, as a consumer that starts from the beginning polls them. */
  private ConsumerRecords<byte[], byte[]> readAll(String topic, int count) {
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions = partitionsOf(topic, count);
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> all =
          new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (all.size() < 12 && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      assertThat(all).hasSize(12); // 10 + malformed + the last one; the aborted one is invisible
      Map<TopicPartition, List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>>>
          byPartition = new java.util.HashMap<>();
      for (var record : all) {
        byPartition
            .computeIfAbsent(
                new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
            .add(record);
      }
      return new ConsumerRecords<>(byPartition, Map.of());
    }
  }

  /**
   * Waits until the stored next offset of each partition is its end (the last record of each is a
   * data record, not a transaction marker, so the consumer reaches the end).
   */
  private void awaitStoredOffsets(String topic, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (Admin admin = admin()) {
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request =
          new java.util.HashMap<>();
      partitionsOf(topic, count)
          .forEach(p -> request.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
      var ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
      while (true) {
        Map<Integer, Long> stored = storedOffsets(topic);
        boolean done =
            ends.entrySet().stream()
                .allMatch(
                    e -> stored.getOrDefault(e.getKey().partition(), 0L) >= e.getValue().offset());
        if (done) {
          return;
        }
        assertThat(System.nanoTime()).as("metrics stored in time").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private Map<Integer, Long> storedOffsets(String topic) throws Exception {
    Map<Integer, Long> offsets = new java.util.HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT partition, next_offset FROM metrics_offsets WHERE topic = ?")) {
      statement.setString(1, topic);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          offsets.put(rows.getInt(1), rows.getLong(2));
        }
      }
    }
    return offsets;
  }

  private List<Double> spanTotals() throws Exception {
    return doubles(
        "SELECT sum(calls), sum(spans), sum(duration_sum_nano) FROM span_metrics"
            + " WHERE service_name = ?");
  }

  private List<Double> edgeTotals() throws Exception {
    return doubles("SELECT sum(calls), sum(errors) FROM service_edges WHERE client_service = ?");
  }

  private long exemplarDuration() throws Exception {
    return doubles(
            "SELECT max(exemplar_duration_nano)::float8 FROM span_metrics WHERE service_name = ?")
        .get(0)
        .longValue();
  }

  private List<Double> doubles(String sql) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, SERVICE);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
          values.add(row.getDouble(i));
        }
        return values;
      }
    }
  }
}
