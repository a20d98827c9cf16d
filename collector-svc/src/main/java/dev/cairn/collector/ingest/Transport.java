package dev.cairn.collector.ingest;

/** How a request arrived; the {@code transport} tag of the collector's metrics. */
public enum Transport {
  GRPC("grpc"),
  HTTP_PROTOBUF("http_protobuf"),
  HTTP_JSON("http_json"),
  ZIPKIN_JSON("zipkin_json"),
  ZIPKIN_PROTO3("zipkin_proto3");

  private final String tag;

  Transport(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
