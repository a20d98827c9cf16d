package dev.cairn.loadgen.generate;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * One operation of a service: what its span is called, how long it takes, and the attributes that
 * never change between calls (built once, so generating a span allocates little).
 *
 * @param kind how the operation is reached
 * @param name the server-side span name
 * @param clientName the span name on the caller's side
 * @param latency duration of the server-side work
 * @param serverAttributes constant attributes of the server span, semantic ones first
 * @param clientAttributes constant attributes of a caller's client span, semantic ones first
 */
public record OperationSpec(
    Kind kind,
    String name,
    String clientName,
    LogNormal latency,
    List<KeyValue> serverAttributes,
    List<KeyValue> clientAttributes) {

  /** How an operation is reached. */
  public enum Kind {
    HTTP,
    RPC,
    DATABASE
  }

  public OperationSpec {
    serverAttributes = List.copyOf(serverAttributes);
    clientAttributes = List.copyOf(clientAttributes);
  }
}
