package dev.cairn.collector.transport.grpc;

import dev.cairn.collector.ingest.IngestResult;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.collector.ingest.Transport;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletionException;

/**
 * OTLP/gRPC {@code TraceService/Export}. Size limits (RESOURCE_EXHAUSTED, also after gzip) and
 * malformed messages are refused by grpc-java before this method runs; everything else goes through
 * {@link IngestService}.
 */
@GrpcService
public class OtlpTraceGrpcService implements TraceService {

  private final IngestService ingest;

  OtlpTraceGrpcService(IngestService ingest) {
    this.ingest = ingest;
  }

  /** Blocking: a send may wait up to max.block.ms for Kafka metadata, never on an event loop. */
  @Override
  @Blocking
  public Uni<ExportTraceServiceResponse> export(ExportTraceServiceRequest request) {
    return Uni.createFrom()
        .completionStage(() -> ingest.ingest(request, Transport.GRPC))
        .map(IngestResult::toResponse)
        .onFailure()
        .transform(OtlpTraceGrpcService::toStatus);
  }

  private static Throwable toStatus(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof PublishFailedException) {
      // Retryable per the OTLP specification; the exporter backs off and resends.
      return Status.UNAVAILABLE
          .withDescription("spans not accepted, retry later: " + cause.getMessage())
          .asRuntimeException();
    }
    return cause;
  }
}
