package dev.cairn.collector.transport;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With no broker behind the configured address, clients get a prompt, retryable refusal. */
@QuarkusTest
@TestProfile(KafkaUnavailableIT.NoBroker.class)
class KafkaUnavailableIT {

  /** Nothing listens on port 1. */
  public static final class NoBroker implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("cairn.collector.kafka.bootstrap-servers", "127.0.0.1:1");
    }
  }

  /** max.block.ms (3 s) + delivery.timeout.ms (12 s) + slack: the bound the config promises. */
  private static final long BOUND_MILLIS = 17_000;

  @Inject GrpcServer grpcServer;

  private static ExportTraceServiceRequest oneSpan() {
    return request(resourceSpans("svc", List.of(span(randomTraceId(), "x").build())));
  }

  @Test
  void grpcAnswersUnavailableWithinTheBound() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(60, TimeUnit.SECONDS)
                      .export(oneSpan()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(BOUND_MILLIS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aGrpcCallWaitingForKafkaHoldsUpNoOtherCallOnItsConnection() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    try {
      // Waits up to max.block.ms (3 s) for metadata that never comes, then fails.
      ListenableFuture<ExportTraceServiceResponse> waiting =
          TraceServiceGrpc.newFutureStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .export(oneSpan());

      // Same connection, so the same event loop: an empty request needs no Kafka and is answered
      // at once, unless the waiting call blocks that event loop.
      TraceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .export(ExportTraceServiceRequest.getDefaultInstance());

      assertThat(waiting.isDone()).as("the first call is still waiting for Kafka").isFalse();
      assertThatThrownBy(waiting::get)
          .hasCauseInstanceOf(StatusRuntimeException.class)
          .cause()
          .satisfies(
              e ->
                  assertThat(((StatusRuntimeException) e).getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void httpAnswers503WithRetryAfterWithinTheBound() {
    long start = System.nanoTime();
    Response response =
        given()
            .contentType("application/x-protobuf")
            .body(oneSpan().toByteArray())
            .post("/v1/traces");

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(BOUND_MILLIS);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isEqualTo("5");
  }

  @Test
  void anEmptyRequestStillSucceeds() {
    given()
        .contentType("application/x-protobuf")
        .body(ExportTraceServiceRequest.getDefaultInstance().toByteArray())
        .post("/v1/traces")
        .then()
        .statusCode(200);
  }

  @Test
  void readinessIsDown() {
    given().get("/q/health/ready").then().statusCode(503);
  }
}
