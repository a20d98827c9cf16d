package dev.cairn.collector.transport.grpc;

import dev.cairn.collector.agent.ExportBatch;
import dev.cairn.collector.agent.ExportResult;
import dev.cairn.collector.agent.Gateway;
import dev.cairn.collector.agent.GatewayExporter;
import dev.cairn.collector.agent.QueuedRequest;
import io.grpc.CallOptions;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's OTLP/gRPC client: one plaintext {@link ManagedChannel} per gateway address, a
 * blocking {@code TraceService/Export} per batch with the export's deadline. The batch's requests
 * are streamed one after the other as the message ({@link BatchMarshaller}): concatenated
 * serialized requests are one request, so nothing is decoded or copied on the way out.
 *
 * <p>After a retryable failure the gateway's channel is closed (gracefully: calls in flight finish)
 * and its next export opens a new one. grpc-java would otherwise reconnect with a backoff of its
 * own (up to two minutes), and fail every call at once while it waits (pick-first reports
 * TRANSIENT_FAILURE until a connection is ready); the agent's {@code GatewayPool} decides when a
 * gateway is tried again, and a fresh channel makes that try a real connection attempt, so a
 * gateway that is back is seen at once.
 */
public final class GatewayGrpcExporter implements GatewayExporter {

  private static final MethodDescriptor<ExportBatch, ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(
              new BatchMarshaller(), TraceServiceGrpc.getExportMethod().getResponseMarshaller())
          .build();

  private final Map<Gateway, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxResponseBytes;

  /**
   * @param maxResponseBytes largest answer accepted (an OTLP answer is small)
   */
  public GatewayGrpcExporter(int maxResponseBytes) {
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public ExportResult export(Gateway gateway, ExportBatch batch, Duration timeout) {
    ManagedChannel channel = channels.computeIfAbsent(gateway, this::open);
    try {
      ExportTraceServiceResponse response =
          ClientCalls.blockingUnaryCall(
              channel,
              EXPORT,
              CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS),
              batch);
      return new ExportResult.Accepted(
          response.getPartialSuccess().getRejectedSpans(),
          response.getPartialSuccess().getErrorMessage());
    } catch (StatusRuntimeException e) {
      ExportResult.Failed failed =
          new ExportResult.Failed(
              e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
      if (failed.retryable()) {
        reopenNextTime(gateway, channel);
      }
      return failed;
    } catch (RuntimeException e) {
      reopenNextTime(gateway, channel);
      return new ExportResult.Failed("UNKNOWN", String.valueOf(e));
    }
  }

  private void reopenNextTime(Gateway gateway, ManagedChannel channel) {
    if (channels.remove(gateway, channel)) {
      channel.shutdown();
    }
  }

  @Override
  public void retainOnly(Set<Gateway> members) {
    channels
        .entrySet()
        .removeIf(
            entry -> {
              if (members.contains(entry.getKey())) {
                return false;
              }
              entry.getValue().shutdown();
              return true;
            });
  }

  private ManagedChannel open(Gateway gateway) {
    return ManagedChannelBuilder.forAddress(gateway.host(), gateway.port())
        .usePlaintext()
        .maxInboundMessageSize(maxResponseBytes)
        .build();
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }

  /** Writes a batch as one message; a batch is never read back. */
  private static final class BatchMarshaller implements MethodDescriptor.Marshaller<ExportBatch> {

    @Override
    public InputStream stream(ExportBatch batch) {
      return new BatchStream(batch.requests(), batch.bytes());
    }

    @Override
    public ExportBatch parse(InputStream stream) {
      throw new UnsupportedOperationException("the agent only sends batches");
    }
  }

  /**
   * The requests' bytes one after the other, of known length so that grpc-java frames the message
   * without buffering it first.
   */
  private static final class BatchStream extends InputStream implements KnownLength {
    private final List<QueuedRequest> requests;
    private long remaining;
    private int request;
    private int offset;

    BatchStream(List<QueuedRequest> requests, long bytes) {
      this.requests = requests;
      this.remaining = bytes;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int at, int length) {
      if (length == 0) {
        return 0;
      }
      while (request < requests.size() && offset == requests.get(request).bytes().length) {
        request++;
        offset = 0;
      }
      if (request == requests.size()) {
        return -1;
      }
      byte[] current = requests.get(request).bytes();
      int n = Math.min(length, current.length - offset);
      System.arraycopy(current, offset, target, at, n);
      offset += n;
      remaining -= n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
  }
}
