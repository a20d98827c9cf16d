package dev.cairn.collector.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.InputStream;

/**
 * The request marshaller of {@code TraceService/Export}: parses with the generated protobuf
 * marshaller, and returns a failure as an {@link InboundExport} rather than throwing it.
 *
 * <p>Why: grpc-java parses a request before any service code runs and closes the call with {@code
 * UNKNOWN} ("Application error processing RPC") when the marshaller throws, whatever the cause. The
 * delegate is the generated marshaller itself, so valid requests are parsed by the same code with
 * the same buffer reuse, and no byte is copied more than before.
 */
final class ExportRequestMarshaller implements MethodDescriptor.Marshaller<InboundExport> {

  private final MethodDescriptor.Marshaller<ExportTraceServiceRequest> protobuf =
      TraceServiceGrpc.getExportMethod().getRequestMarshaller();

  @Override
  public InboundExport parse(InputStream stream) {
    try {
      return new InboundExport.Parsed(protobuf.parse(stream));
    } catch (StatusRuntimeException e) {
      // grpc-protobuf reports an unparseable message as INTERNAL caused by the protobuf exception.
      if (e.getCause() instanceof InvalidProtocolBufferException malformed) {
        return new InboundExport.Malformed(malformed);
      }
      // RESOURCE_EXHAUSTED from the deframer: the message outgrew max-inbound-message-size while
      // being decompressed (it is read lazily, within this parse).
      return new InboundExport.Refused(e.getStatus());
    }
  }

  /** Serialises a parsed request (clients, binary logging); a refused one has nothing to send. */
  @Override
  public InputStream stream(InboundExport value) {
    if (value instanceof InboundExport.Parsed parsed) {
      return protobuf.stream(parsed.request());
    }
    throw new IllegalArgumentException("not a parsed request: " + value);
  }
}
