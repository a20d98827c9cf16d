package dev.cairn.collector.transport.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.collector.ingest.ParsedRequest;
import io.grpc.Status;

/**
 * An {@code Export} request message as {@link ExportRequestMarshaller} hands it to the service:
 * parsed, or the reason it could not be read, so that the service (not grpc-java) answers it.
 */
sealed interface InboundExport {

  /** The request message, parsed. */
  record Parsed(ParsedRequest request) implements InboundExport {}

  /** The bytes are not an {@code ExportTraceServiceRequest} (or not valid gzip). */
  record Malformed(InvalidProtocolBufferException cause) implements InboundExport {}

  /**
   * grpc-java refused the message while it was read, e.g. over the size limit once decompressed.
   */
  record Refused(Status status) implements InboundExport {}
}
