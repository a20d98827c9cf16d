package dev.cairn.query.transport.http;

import dev.cairn.store.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of {@code GET /api/v1/services/{service}/operations}. */
public record OperationResponse(
    @Schema(description = "Span name") String name,
    @Schema(
            description =
                "Span kind as in OTLP JSON: 0 unspecified, 1 internal, 2 server, 3 client,"
                    + " 4 producer, 5 consumer")
        int kind) {

  static OperationResponse of(Operation operation) {
    return new OperationResponse(operation.name(), operation.kind().number());
  }
}
