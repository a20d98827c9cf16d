package dev.cairn.storage.transport.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * storage-svc against the real broker and TimescaleDB: records in the wire format on a topic of
 * this run's own land in the database exactly once, also when they are delivered again.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageConsumerIT {

  private static final int TRACES = 20;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<TraceId> TRACE_IDS = new ArrayList<>();
  private static final List<ProducerRecord<byte[], byte[]>> RECORDS = new ArrayList<>();

  @Inject StorageConfig config;
  @Inject AgroalDataSource dataSource;

  @Test
  @Order(1)
  void everySpanLandsOnceAndMalformedRecordsAreDeadLettered() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < TRACES; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      TRACE_IDS.add(id);
      List<Span> spans = SpanFixtures.threeServiceTrace(id, now - i * 1_000_000_000L);
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              config.kafka().topic(),
              TraceWireCodec.key(id),
              TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)));
      RetentionClass retention = i % 2 == 0 ? RetentionClass.STANDARD : RetentionClass.EXTENDED;
      record
          .headers()
          .add(WireHeaders.RETENTION, retention.headerValue().getBytes(StandardCharsets.UTF_8));
      RECORDS.add(record);
    }
    List<ProducerRecord<byte[], byte[]>> withGarbage = new ArrayList<>(RECORDS);
    withGarbage.add(
        new ProducerRecord<>(
            config.kafka().topic(), new byte[16], new byte[] {(byte) 0xff, 0x01, 0x02}));
    produce(withGarbage);

    awaitCommitted();

    int spansPerTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(spanCounts())
        .containsExactly((long) TRACES * spansPerTrace, (long) TRACES * spansPerTrace);
    assertThat(summaryTotals())
        .containsExactly(
            (long) TRACES,
            (long) TRACES * spansPerTrace,
            (long) TRACES * SpanFixtures.THREE_SERVICE_ERROR_COUNT);
    assertThat(extendedCount()).isEqualTo((long) TRACES / 2 * spansPerTrace);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "cairn_storage_records_dead_lettered_total{reason=\"malformed_protobuf\"} 1.0"))
        .body(containsString("cairn_storage_spans_written_total"));
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  @Order(2)
  void replayedRecordsAddNothing() throws Exception {
    assertThat(RECORDS).hasSize(TRACES);
    produce(RECORDS);
    produce(RECORDS.subList(0, 5));

    awaitCommitted();

    int spansPerTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(spanCounts())
        .containsExactly((long) TRACES * spansPerTrace, (long) TRACES * spansPerTrace);
    assertThat(summaryTotals())
        .containsExactly(
            (long) TRACES,
            (long) TRACES * spansPerTrace,
            (long) TRACES * SpanFixtures.THREE_SERVICE_ERROR_COUNT);
  }

  @Test
  @Order(3)
  void lateSpansAreStoredAndCountedOnceInTheirTracesSummary() throws Exception {
    TraceId lateTrace = TRACE_IDS.get(0); // standard
    TraceId onTimeTrace = TRACE_IDS.get(2);
    long start = System.currentTimeMillis() * 1_000_000L;
    ProducerRecord<byte[], byte[]> late =
        record(
            lateTrace,
            List.of(
                SpanFixtures.span(lateTrace, SpanFixtures.CHECKOUT, "late one")
                    .start(start)
                    .end(start + 1_000)
                    .build(),
                SpanFixtures.span(lateTrace, SpanFixtures.CHECKOUT, "late two")
                    .start(start)
                    .end(start + 2_000)
                    .build()));
    late.headers().add(WireHeaders.LATE_SPAN, "true".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<byte[], byte[]> onTime =
        record(
            onTimeTrace,
            List.of(
                SpanFixtures.span(onTimeTrace, SpanFixtures.CHECKOUT, "on time")
                    .start(start)
                    .end(start + 1_000)
                    .build()));
    produce(List.of(late, onTime));
    produce(List.of(late)); // a replayed late record counts nothing twice

    awaitCommitted();

    assertThat(lateSpanCount(lateTrace)).isEqualTo(2);
    assertThat(lateSpanCount(onTimeTrace)).isZero();
    int spansPerTrace = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(spanCounts())
        .containsExactly((long) TRACES * spansPerTrace + 3, (long) TRACES * spansPerTrace + 3);
    assertThat(summaryTotals().get(1)).isEqualTo((long) TRACES * spansPerTrace + 3);
  }

  // ------------------------------------------------------------------ helpers

  private ProducerRecord<byte[], byte[]> record(TraceId trace, List<Span> spans) {
    return new ProducerRecord<>(
        config.kafka().topic(),
        TraceWireCodec.key(trace),
        TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)));
  }

  private long lateSpanCount(TraceId trace) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT sum(late_span_count) FROM trace_summaries_all WHERE trace_id = ?")) {
      statement.setObject(1, new UUID(trace.high(), trace.low()));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record).get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits until the group committed the end of every partition of the topic. */
  private void awaitCommitted() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(config.kafka().groupId())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        admin
            .describeTopics(List.of(config.kafka().topic()))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(config.kafka().topic())
            .partitions()
            .forEach(
                p ->
                    request.put(
                        new TopicPartition(config.kafka().topic(), p.partition()),
                        OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        boolean done =
            ends.entrySet().stream()
                .allMatch(
                    e ->
                        e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        if (done) {
          return;
        }
        assertThat(System.nanoTime()).as("offsets committed in time").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private Object[] uuids() {
    return TRACE_IDS.stream().map(id -> new UUID(id.high(), id.low())).toArray();
  }

  /** Spans stored for this run's traces, and distinct (trace, span) among them. */
  private List<Long> spanCounts() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      List<Span> stored = StoredSpans.of(connection, TRACE_IDS);
      long distinct = stored.stream().map(s -> List.of(s.traceId(), s.spanId())).distinct().count();
      return List.of((long) stored.size(), distinct);
    }
  }

  private long extendedCount() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return StoredSpans.of(connection, "trace_segments_extended", TRACE_IDS).size();
    }
  }

  private List<Long> summaryTotals() throws Exception {
    return longs(
        "SELECT count(*), sum(span_count), sum(error_count) FROM trace_summaries_all"
            + " WHERE trace_id = ANY(?)");
  }

  private List<Long> longs(String sql) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("uuid", uuids()));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        List<Long> values = new ArrayList<>();
        for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
          values.add(row.getLong(i));
        }
        return values;
      }
    }
  }
}
