package dev.cairn.collector.transport;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.collector.TopicReader;
import dev.cairn.collector.TopicReader.WireRecord;
import dev.cairn.collector.transport.kafka.KafkaSpanPublisher;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.TracePart;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A trace larger than one Kafka record (the 6,000 spans, ~1.5 MB of protobuf) is accepted
 * over both transports and lands on the real broker as several records of its key, on one
 * partition, in span order; and a record of exactly the configured maximum is taken by the broker.
 */
@QuarkusTest
class LargeTraceIT {

  private static final int SPANS = 6_000;

  @Inject GrpcServer grpcServer;
  @Inject KafkaSpanPublisher publisher;

  @ConfigProperty(name = "cairn.collector.kafka.topic")
  String topic;

  @ConfigProperty(name = "cairn.collector.kafka.bootstrap-servers")
  String bootstrap;

  @ConfigProperty(name = "cairn.collector.kafka.max-record-bytes")
  int maxRecordBytes;

  /** One trace of {@link #SPANS} spans named {@code op-<i>}, over 1 MiB encoded. */
  private ExportTraceServiceRequest largeTrace(ByteString traceId) {
    List<Span> spans = new ArrayList<>(SPANS);
    for (int i = 0; i < SPANS; i++) {
      spans.add(
          span(traceId, "op-" + i)
              .addAttributes(
                  dev.cairn.collector.OtlpFixtures.attribute("db.statement", "x".repeat(160)))
              .build());
    }
    ExportTraceServiceRequest request = request(resourceSpans("batch-job", spans));
    assertThat(request.getSerializedSize()).isGreaterThan(maxRecordBytes + maxRecordBytes / 3);
    return request;
  }

  private void assertLandedWholeInSeveralRecordsInOrder(ByteString traceId) {
    TraceId id = TraceId.fromBytes(traceId.toByteArray());
    List<WireRecord> records =
        TopicReader.read(bootstrap, topic, Set.of(id), SPANS, Duration.ofSeconds(1));
    assertThat(records.size()).isGreaterThan(1);
    assertThat(records).extracting(WireRecord::key).containsOnly(id);
    assertThat(records).extracting(WireRecord::partition).containsOnly(records.get(0).partition());
    assertThat(records)
        .allSatisfy(r -> assertThat(r.valueBytes()).isLessThanOrEqualTo(maxRecordBytes));
    List<String> names = new ArrayList<>();
    records.stream()
        .sorted(Comparator.comparingLong(WireRecord::offset))
        .forEach(r -> names.addAll(r.spanNames()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < SPANS; i++) {
      expected.add("op-" + i);
    }
    assertThat(names).containsExactlyElementsOf(expected);
  }

  @Test
  void httpProtobufTraceOverOneRecordIsAcceptedAndSplit() throws Exception {
    ByteString traceId = randomTraceId();

    Response response =
        given()
            .contentType("application/x-protobuf")
            .body(largeTrace(traceId).toByteArray())
            .post("/v1/traces");

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(response.asByteArray()).hasPartialSuccess())
        .isFalse();
    assertLandedWholeInSeveralRecordsInOrder(traceId);
  }

  @Test
  void grpcTraceOverOneRecordIsAcceptedAndSplit() throws InterruptedException {
    ByteString traceId = randomTraceId();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    try {
      ExportTraceServiceResponse response =
          TraceServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .export(largeTrace(traceId));
      assertThat(response.hasPartialSuccess()).isFalse();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertLandedWholeInSeveralRecordsInOrder(traceId);
  }

  /**
   * The producer's {@code max.request.size} and the broker's and topic's {@code max.message.bytes}
   * leave room for a record value of exactly {@code max-record-bytes}; random bytes, so that
   * compression cannot shrink it below.
   */
  @Test
  void theBrokerTakesARecordOfTheConfiguredMaximumSize() {
    ByteString traceId = randomTraceId();
    TraceId id = TraceId.fromBytes(traceId.toByteArray());
    TracesData data = dataOfExactly(maxRecordBytes, traceId);
    assertThat(data.getSerializedSize()).isEqualTo(maxRecordBytes);

    publisher
        .publish(List.of(new TracePart(id, data, 1)))
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();

    List<WireRecord> records = TopicReader.read(bootstrap, topic, Set.of(id), 1, Duration.ZERO);
    assertThat(records)
        .singleElement()
        .extracting(WireRecord::valueBytes)
        .isEqualTo(maxRecordBytes);
  }

  /** One span whose random bytes attribute makes the TracesData exactly {@code size} bytes. */
  private static TracesData dataOfExactly(int size, ByteString traceId) {
    byte[] random = new byte[size];
    new SecureRandom().nextBytes(random);
    int blob = size;
    while (true) {
      TracesData data =
          TracesData.newBuilder()
              .addResourceSpans(
                  resourceSpans(
                      "big",
                      List.of(
                          span(traceId, "x")
                              .addAttributes(
                                  KeyValue.newBuilder()
                                      .setKey("blob")
                                      .setValue(
                                          AnyValue.newBuilder()
                                              .setBytesValue(ByteString.copyFrom(random, 0, blob))))
                              .build())))
              .build();
      int over = data.getSerializedSize() - size;
      if (over == 0) {
        return data;
      }
      // Shrinking the blob may also shorten its length prefixes: step down until exact.
      blob -= Math.max(1, over);
    }
  }
}
