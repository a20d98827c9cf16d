package dev.cairn.loadgen.transport.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.cairn.loadgen.run.ExportResult;
import dev.cairn.loadgen.run.TraceExporter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC over one plaintext channel (one HTTP/2 connection); many requests share it. Answers are
 * handled on the transport thread: the callback only counts.
 */
public final class GrpcTraceExporter implements TraceExporter {

  private final ManagedChannel channel;
  private final Channel calls;
  private final Duration timeout;
  private final boolean gzip;

  private GrpcTraceExporter(
      ManagedChannel channel, Map<String, String> headers, Duration timeout, boolean gzip) {
    this.channel = channel;
    Metadata metadata = new Metadata();
    headers.forEach(
        (name, value) ->
            metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
    this.calls =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    this.timeout = timeout;
    this.gzip = gzip;
  }

  /**
   * @param target {@code host:port} (an {@code http://} prefix is ignored)
   * @param headers metadata sent with every request (e.g. authorization)
   * @param timeout deadline of each request
   * @param gzip whether to compress requests
   */
  public static GrpcTraceExporter connect(
      String target, Map<String, String> headers, Duration timeout, boolean gzip) {
    String authority = target.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
    ManagedChannel channel =
        Grpc.newChannelBuilder(authority, InsecureChannelCredentials.create())
            .directExecutor()
            .build();
    return new GrpcTraceExporter(channel, headers, timeout, gzip);
  }

  @Override
  public CompletableFuture<ExportResult> export(ExportTraceServiceRequest request) {
    CallOptions options =
        CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (gzip) {
      options = options.withCompression("gzip");
    }
    CompletableFuture<ExportResult> result = new CompletableFuture<>();
    ListenableFuture<ExportTraceServiceResponse> answer =
        ClientCalls.futureUnaryCall(calls.newCall(OtlpTraceMethod.EXPORT, options), request);
    Futures.addCallback(
        answer,
        new FutureCallback<>() {
          @Override
          public void onSuccess(ExportTraceServiceResponse response) {
            result.complete(
                ExportResult.accepted(
                    response.getPartialSuccess().getRejectedSpans(),
                    response.getPartialSuccess().getErrorMessage()));
          }

          @Override
          public void onFailure(Throwable error) {
            Status status = Status.fromThrowable(error);
            result.complete(ExportResult.failed(status.getCode().name(), status.getDescription()));
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
