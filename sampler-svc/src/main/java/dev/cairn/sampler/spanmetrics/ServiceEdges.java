package dev.cairn.sampler.spanmetrics;

import dev.cairn.model.SpanKind;
import dev.cairn.model.metrics.EdgeType;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service edges of one trace. A CLIENT span whose SERVER child is in another service is a
 * request edge; a PRODUCER span whose CONSUMER child is in another service a messaging edge. A
 * CLIENT span with no child at all is a virtual edge to the peer its {@code peer.service} (or else
 * {@code server.address}) attribute names: a database, a cache, or a service that sends no spans. A
 * pair within one service is no edge, and a PRODUCER with no consumer in the trace is none either
 * (consumers often start traces of their own and only link back).
 */
final class ServiceEdges {

  static final String PEER_SERVICE = "peer.service";
  static final String SERVER_ADDRESS = "server.address";

  /** An edge seen in a trace; {@code measured} is the span whose duration is its latency. */
  record Edge(
      ObservedSpan caller,
      String client,
      String server,
      EdgeType type,
      ObservedSpan measured,
      boolean error) {}

  private ServiceEdges() {}

  static List<Edge> of(Map<Long, ObservedSpan> spans, int maxName) {
    List<Edge> edges = new ArrayList<>();
    Set<Long> withChildren = new HashSet<>();
    for (ObservedSpan child : spans.values()) {
      if (child.parentSpanId() == 0) {
        continue;
      }
      withChildren.add(child.parentSpanId());
      ObservedSpan parent = spans.get(child.parentSpanId());
      if (parent == null || parent.service().equals(child.service())) {
        continue;
      }
      if (parent.kind() == SpanKind.CLIENT && child.kind() == SpanKind.SERVER) {
        edges.add(edge(parent, child.service(), EdgeType.REQUEST, parent, child));
      } else if (parent.kind() == SpanKind.PRODUCER && child.kind() == SpanKind.CONSUMER) {
        edges.add(edge(parent, child.service(), EdgeType.MESSAGING, child, child));
      }
    }
    for (ObservedSpan span : spans.values()) {
      if (span.kind() == SpanKind.CLIENT && !withChildren.contains(span.spanId())) {
        String peer = peerOf(span);
        if (peer != null && !peer.equals(span.service())) {
          String server = peer.length() <= maxName ? peer : peer.substring(0, maxName);
          edges.add(edge(span, server, EdgeType.VIRTUAL, span, null));
        }
      }
    }
    return edges;
  }

  private static Edge edge(
      ObservedSpan caller,
      String server,
      EdgeType type,
      ObservedSpan measured,
      ObservedSpan callee) {
    boolean error = caller.isError() || (callee != null && callee.isError());
    return new Edge(caller, caller.service(), server, type, measured, error);
  }

  /** {@code peer.service}, else {@code server.address}, when a non-empty string; else null. */
  private static String peerOf(ObservedSpan span) {
    String address = null;
    for (KeyValue attribute : span.otlp().getAttributesList()) {
      if (!attribute.getValue().hasStringValue()
          || attribute.getValue().getStringValue().isEmpty()) {
        continue;
      }
      if (attribute.getKey().equals(PEER_SERVICE)) {
        return attribute.getValue().getStringValue();
      }
      if (attribute.getKey().equals(SERVER_ADDRESS)) {
        address = attribute.getValue().getStringValue();
      }
    }
    return address;
  }
}
