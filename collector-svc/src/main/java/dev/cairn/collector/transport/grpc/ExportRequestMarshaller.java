package dev.cairn.collector.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.collector.ingest.OtlpRequestParser;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request marshaller of {@code TraceService/Export}: reads the message and parses it with
 * {@link OtlpRequestParser} (as the HTTP path does, so that invalid UTF-8 costs no valid span), and
 * returns a failure as an {@link InboundExport} rather than throwing it.
 *
 * <p>Why: grpc-java parses a request before any service code runs and closes the call with {@code
 * UNKNOWN} ("Application error processing RPC") when the marshaller throws, whatever the cause. The
 * message is read into one array of its known length, as the generated marshaller does.
 */
final class ExportRequestMarshaller implements MethodDescriptor.Marshaller<InboundExport> {

  private final MethodDescriptor.Marshaller<ExportTraceServiceRequest> protobuf =
      TraceServiceGrpc.getExportMethod().getRequestMarshaller();

  @Override
  public InboundExport parse(InputStream stream) {
    try {
      return new InboundExport.Parsed(OtlpRequestParser.protobuf(readFully(stream)));
    } catch (InvalidProtocolBufferException malformed) {
      return new InboundExport.Malformed(malformed);
    } catch (IOException unreadable) {
      // The gzip stream of a compressed message is broken.
      return new InboundExport.Malformed(new InvalidProtocolBufferException(unreadable));
    } catch (StatusRuntimeException e) {
      // RESOURCE_EXHAUSTED from the deframer: the message outgrew max-inbound-message-size while
      // being decompressed (it is read lazily, within this parse).
      return new InboundExport.Refused(e.getStatus());
    }
  }

  private static byte[] readFully(InputStream stream) throws IOException {
    if (stream instanceof KnownLength) {
      byte[] message = stream.readNBytes(stream.available());
      if (stream.read() == -1) {
        return message;
      }
      throw new IOException("message longer than its announced length");
    }
    return stream.readAllBytes();
  }

  /** Serialises a parsed request (clients, binary logging); a refused one has nothing to send. */
  @Override
  public InputStream stream(InboundExport value) {
    if (value instanceof InboundExport.Parsed parsed) {
      return protobuf.stream(parsed.request().request());
    }
    throw new IllegalArgumentException("not a parsed request: " + value);
  }
}
