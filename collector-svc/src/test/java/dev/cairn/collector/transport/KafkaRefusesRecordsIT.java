package dev.cairn.collector.transport;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The real broker refuses the records for good (the topic's {@code max.message.bytes} is far below
 * the collector's record size): the clients are told not to retry, over both transports, and the
 * failure is counted as not retryable.
 */
@QuarkusTest
@TestProfile(KafkaRefusesRecordsIT.TinyTopic.class)
class KafkaRefusesRecordsIT {

  private static final int TOPIC_MAX_MESSAGE_BYTES = 1024;

  /** A topic of this run's own whose records may be at most 1 KiB. */
  public static final class TinyTopic implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(TinyTopicResource.class));
    }
  }

  public static final class TinyTopicResource implements QuarkusTestResourceLifecycleManager {
    private final String topic = "cairn.spans.ingested.tiny-" + UUID.randomUUID();
    private final String bootstrap =
        System.getenv().getOrDefault("CAIRN_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    @Override
    public Map<String, String> start() {
      try (Admin admin = admin()) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(topic, 1, (short) 1)
                        .configs(
                            Map.of(
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                String.valueOf(TOPIC_MAX_MESSAGE_BYTES)))))
            .all()
            .get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("could not create topic " + topic, e);
      }
      return Map.of(
          "cairn.collector.kafka.topic",
          topic,
          "cairn.collector.kafka.bootstrap-servers",
          bootstrap);
    }

    @Override
    public void stop() {
      try (Admin admin = admin()) {
        admin.deleteTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A leftover test topic is harmless; the broker's retention removes its data.
      }
    }

    private Admin admin() {
      return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }
  }

  @Inject GrpcServer grpcServer;

  /** One span carrying 4 KiB of random (incompressible) bytes: over the topic's limit. */
  private static ExportTraceServiceRequest tooLargeForTheTopic() {
    byte[] random = new byte[4 * TOPIC_MAX_MESSAGE_BYTES];
    new SecureRandom().nextBytes(random);
    return request(
        resourceSpans(
            "svc",
            List.of(
                span(randomTraceId(), "x")
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("blob")
                            .setValue(
                                AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(random))))
                    .build())));
  }

  @Test
  void httpAnswers400NotRetryableWithTheReasonAndCountsIt() throws Exception {
    double before = publishFailures("false");

    Response response =
        given()
            .contentType("application/x-protobuf")
            .body(tooLargeForTheTopic().toByteArray())
            .post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.header("Retry-After")).isNull();
    Status status = Status.parseFrom(response.asByteArray());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage())
        .startsWith("spans refused, retrying will not help: Kafka refused spans");
    assertThat(publishFailures("false")).isEqualTo(before + 1);
  }

  @Test
  void grpcAnswersANonRetryableCode() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    try {
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .export(tooLargeForTheTopic()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("spans refused");
              });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRecordWithinTheTopicLimitIsStillAccepted() {
    given()
        .contentType("application/x-protobuf")
        .body(
            request(resourceSpans("svc", List.of(span(randomTraceId(), "x").build())))
                .toByteArray())
        .post("/v1/traces")
        .then()
        .statusCode(200);
  }

  /** {@code cairn_collector_publish_failures_total{retryable}}. */
  private static double publishFailures(String retryable) {
    Matcher value =
        Pattern.compile(
                "(?m)^cairn_collector_publish_failures_total\\{[^}]*retryable=\""
                    + retryable
                    + "\"[^}]*} (\\S+)$")
            .matcher(given().get("/q/metrics").asString());
    assertThat(value.find()).as("publish-failure counter, retryable=" + retryable).isTrue();
    return Double.parseDouble(value.group(1));
  }
}
