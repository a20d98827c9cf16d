package dev.cairn.collector.transport.grpc;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.collector.agent.ExportBatch;
import dev.cairn.collector.agent.ExportResult;
import dev.cairn.collector.agent.ForwardQueue;
import dev.cairn.collector.agent.Gateway;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's OTLP/gRPC client against a real grpc-java server standing in for a gateway. */
class GatewayGrpcExporterIT {

  private final GatewayGrpcExporter exporter = new GatewayGrpcExporter(1 << 20);
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Function<ExportTraceServiceRequest, Object>> answer =
      new AtomicReference<>(request -> ExportTraceServiceResponse.getDefaultInstance());
  private Server server;

  @AfterEach
  void stop() throws InterruptedException {
    exporter.close();
    if (server != null) {
      server.shutdownNow().awaitTermination();
    }
  }

  private Gateway start(int port) throws IOException {
    server =
        ServerBuilder.forPort(port)
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> response) {
                    received.add(request);
                    Object reply = answer.get().apply(request);
                    if (reply instanceof Status status) {
                      response.onError(status.asRuntimeException());
                    } else {
                      response.onNext((ExportTraceServiceResponse) reply);
                      response.onCompleted();
                    }
                  }
                })
            .build()
            .start();
    return new Gateway("127.0.0.1", server.getPort());
  }

  private static ExportBatch batchOf(String... services) throws InterruptedException {
    ForwardQueue queue = new ForwardQueue(1 << 20, System::nanoTime);
    for (String service : services) {
      queue.offer(
          request(resourceSpans(service, List.of(span(randomTraceId(), "op").build())))
              .toByteArray(),
          1);
    }
    return queue.take(1 << 20, Duration.ZERO);
  }

  @Test
  void queuedRequestsArriveAsOneExportHoldingAllTheirSpans() throws Exception {
    Gateway gateway = start(0);

    ExportResult result = exporter.export(gateway, batchOf("a", "b", "c"), Duration.ofSeconds(5));

    assertThat(result).isEqualTo(new ExportResult.Accepted(0, ""));
    assertThat(received).singleElement();
    assertThat(received.get(0).getResourceSpansList())
        .extracting(r -> r.getResource().getAttributes(0).getValue().getStringValue())
        .containsExactly("a", "b", "c");
  }

  @Test
  void aPartialSuccessIsReportedAsTakenWithItsRejectedSpans() throws Exception {
    Gateway gateway = start(0);
    answer.set(
        request ->
            ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(
                    ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(1)
                        .setErrorMessage("1 span rejected: 1 end before start"))
                .build());

    assertThat(exporter.export(gateway, batchOf("a"), Duration.ofSeconds(5)))
        .isEqualTo(new ExportResult.Accepted(1, "1 span rejected: 1 end before start"));
  }

  @Test
  void theGatewaysStatusComesBackWithItsCode() throws Exception {
    Gateway gateway = start(0);
    answer.set(request -> Status.INVALID_ARGUMENT.withDescription("spans refused"));
    ExportResult refused = exporter.export(gateway, batchOf("a"), Duration.ofSeconds(5));
    answer.set(request -> Status.UNAVAILABLE.withDescription("Kafka down"));
    ExportResult unavailable = exporter.export(gateway, batchOf("a"), Duration.ofSeconds(5));

    assertThat(refused).isEqualTo(new ExportResult.Failed("INVALID_ARGUMENT", "spans refused"));
    assertThat(((ExportResult.Failed) refused).retryable()).isFalse();
    assertThat(unavailable).isEqualTo(new ExportResult.Failed("UNAVAILABLE", "Kafka down"));
    assertThat(((ExportResult.Failed) unavailable).retryable()).isTrue();
  }

  @Test
  void aGatewayThatNeverAnswersTimesOutRetryably() throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket held = blackhole.accept()) {
                  Thread.sleep(60_000);
                } catch (IOException | InterruptedException done) {
                  // test over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();

      ExportResult result =
          exporter.export(
              new Gateway("127.0.0.1", blackhole.getLocalPort()),
              batchOf("a"),
              Duration.ofMillis(500));

      assertThat(result).isInstanceOf(ExportResult.Failed.class);
      assertThat(((ExportResult.Failed) result).code()).isEqualTo("DEADLINE_EXCEEDED");
      acceptor.interrupt();
    }
  }

  @Test
  void aGatewayThatComesBackIsReachedAtOnceNotAfterTheChannelsOwnBackoff() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Gateway gateway = new Gateway("127.0.0.1", port);
    // Several failures in a row would put grpc-java's reconnect backoff at seconds.
    for (int i = 0; i < 4; i++) {
      ExportResult down = exporter.export(gateway, batchOf("a"), Duration.ofSeconds(2));
      assertThat(((ExportResult.Failed) down).code()).isEqualTo("UNAVAILABLE");
    }

    start(port);

    assertThat(exporter.export(gateway, batchOf("b"), Duration.ofSeconds(2)))
        .isEqualTo(new ExportResult.Accepted(0, ""));
    assertThat(received).singleElement();
  }
}
