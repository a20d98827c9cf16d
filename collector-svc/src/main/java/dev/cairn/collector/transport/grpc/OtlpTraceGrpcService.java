package dev.cairn.collector.transport.grpc;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import dev.cairn.collector.ingest.IngestResult;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.collector.ingest.Transport;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.stubs.ServerCalls;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * OTLP/gRPC {@code TraceService/Export}.
 *
 * <p>Bound by hand ({@link #bindService}) rather than through the generated Mutiny stub, so that
 * the request marshaller is {@link ExportRequestMarshaller}: grpc-java parses a request before any
 * service code runs and answers {@code UNKNOWN} when the generated marshaller throws. This way
 * every request reaches {@link #export}:
 *
 * <ul>
 *   <li>a message that does not parse gets {@code INVALID_ARGUMENT} ("malformed
 *       ExportTraceServiceRequest: " and the protobuf error), counted in {@code
 *       cairn_collector_requests_rejected_total{transport="grpc",reason="malformed"}} as the HTTP
 *       path counts a malformed body;
 *   <li>a message over {@code quarkus.grpc.server.max-inbound-message-size} gets {@code
 *       RESOURCE_EXHAUSTED}: from grpc-java before parsing when its wire size is over, from here
 *       when it outgrows the limit while being decompressed;
 *   <li>everything else goes through {@link IngestService}; when Kafka does not acknowledge, {@code
 *       UNAVAILABLE} (retryable), or {@code INVALID_ARGUMENT} when Kafka refused the records for
 *       good ({@link PublishFailedException#retryable()} false), which OTLP exporters do not retry.
 * </ul>
 *
 * <p>Answers and failures go through Quarkus' Mutiny glue ({@link ServerCalls#oneToOne}) exactly as
 * with a generated stub.
 */
@GrpcService
public class OtlpTraceGrpcService implements BindableService {

  private static final Logger LOG = Logger.getLogger(OtlpTraceGrpcService.class);

  /** The generated {@code Export} method (name, type, schema) with the tolerant marshaller. */
  private static final MethodDescriptor<InboundExport, ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(
              new ExportRequestMarshaller(),
              TraceServiceGrpc.getExportMethod().getResponseMarshaller())
          .build();

  private static final ServiceDescriptor SERVICE =
      ServiceDescriptor.newBuilder(TraceServiceGrpc.SERVICE_NAME)
          .setSchemaDescriptor(TraceServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
          .addMethod(EXPORT)
          .build();

  private final IngestService ingest;

  OtlpTraceGrpcService(IngestService ingest) {
    this.ingest = ingest;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            EXPORT,
            asyncUnaryCall(
                (inbound, response) -> ServerCalls.oneToOne(inbound, response, null, this::export)))
        .build();
  }

  /**
   * Blocking: a send may wait up to max.block.ms for Kafka metadata, never on an event loop.
   * Quarkus offloads the gRPC method whose name matches this method's ({@code Export}), so keep the
   * name.
   */
  @Blocking
  Uni<ExportTraceServiceResponse> export(InboundExport inbound) {
    if (inbound instanceof InboundExport.Malformed malformed) {
      ingest.rejectMalformed(Transport.GRPC);
      return refuse(
          Status.INVALID_ARGUMENT.withDescription(
              "malformed ExportTraceServiceRequest: " + malformed.cause().getMessage()));
    }
    if (inbound instanceof InboundExport.Refused refused) {
      return refuse(refused.status());
    }
    InboundExport.Parsed parsed = (InboundExport.Parsed) inbound;
    return Uni.createFrom()
        .completionStage(() -> ingest.ingest(parsed.request(), Transport.GRPC))
        .map(IngestResult::toResponse)
        .onFailure()
        .transform(OtlpTraceGrpcService::toStatus);
  }

  private static Uni<ExportTraceServiceResponse> refuse(Status status) {
    LOG.debugf("refused an OTLP/gRPC request: %s", status);
    return Uni.createFrom().failure(status.asRuntimeException());
  }

  private static Throwable toStatus(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof PublishFailedException publishFailed) {
      // UNAVAILABLE is retryable per the OTLP specification: the exporter backs off and resends.
      // INVALID_ARGUMENT is not: it drops the spans instead of resending them forever.
      return publishFailed.retryable()
          ? Status.UNAVAILABLE
              .withDescription("spans not accepted, retry later: " + cause.getMessage())
              .asRuntimeException()
          : Status.INVALID_ARGUMENT
              .withDescription("spans refused, retrying will not help: " + cause.getMessage())
              .asRuntimeException();
    }
    return cause;
  }
}
