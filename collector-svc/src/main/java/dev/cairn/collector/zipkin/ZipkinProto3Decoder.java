package dev.cairn.collector.zipkin;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.collector.zipkin.ZipkinSpan.Annotation;
import dev.cairn.collector.zipkin.ZipkinSpan.Endpoint;
import dev.cairn.collector.zipkin.ZipkinSpan.Kind;
import dev.cairn.collector.zipkin.proto3.ListOfSpans;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads Zipkin v2 protobuf ({@code zipkin.proto3.ListOfSpans}) with the classes generated from
 * {@code src/main/proto/zipkin.proto}, so protobuf-java does the parsing (and refuses bodies that
 * are not that message). Ids are bytes on this wire; a wrong length is rejected per span.
 */
final class ZipkinProto3Decoder {

  private ZipkinProto3Decoder() {}

  static List<ZipkinSpan> decode(byte[] body) throws InvalidProtocolBufferException {
    ListOfSpans list = ListOfSpans.parseFrom(body);
    List<ZipkinSpan> spans = new ArrayList<>(list.getSpansCount());
    for (dev.cairn.collector.zipkin.proto3.Span span : list.getSpansList()) {
      spans.add(span(span));
    }
    return spans;
  }

  private static ZipkinSpan span(dev.cairn.collector.zipkin.proto3.Span span) {
    List<Annotation> annotations = new ArrayList<>(span.getAnnotationsCount());
    for (var annotation : span.getAnnotationsList()) {
      annotations.add(new Annotation(unsigned(annotation.getTimestamp()), annotation.getValue()));
    }
    return new ZipkinSpan(
        ZipkinIds.traceIdFromBytes(span.getTraceId()),
        ZipkinIds.parentIdFromBytes(span.getParentId()),
        ZipkinIds.spanIdFromBytes(span.getId()),
        kind(span.getKind()),
        span.getName(),
        unsigned(span.getTimestamp()),
        unsigned(span.getDuration()),
        span.hasLocalEndpoint() ? endpoint(span.getLocalEndpoint()) : Endpoint.ABSENT,
        span.hasRemoteEndpoint() ? endpoint(span.getRemoteEndpoint()) : Endpoint.ABSENT,
        annotations,
        new LinkedHashMap<>(span.getTagsMap()),
        span.getDebug(),
        span.getShared());
  }

  private static Kind kind(dev.cairn.collector.zipkin.proto3.Span.Kind kind) {
    return switch (kind) {
      case SPAN_KIND_UNSPECIFIED -> Kind.ABSENT;
      case CLIENT -> Kind.CLIENT;
      case SERVER -> Kind.SERVER;
      case PRODUCER -> Kind.PRODUCER;
      case CONSUMER -> Kind.CONSUMER;
      case UNRECOGNIZED -> Kind.UNKNOWN;
    };
  }

  private static Endpoint endpoint(dev.cairn.collector.zipkin.proto3.Endpoint endpoint) {
    int port = endpoint.getPort();
    return new Endpoint(
        endpoint.getServiceName(),
        address(endpoint.getIpv4(), 4),
        address(endpoint.getIpv6(), 16),
        port > 0 && port <= 0xffff ? port : 0);
  }

  /**
   * The address as text, IPv6 in its short form (RFC 5952, as Zipkin's JSON writes it, so both
   * encodings give the same attribute); empty when absent or not of the family's length.
   */
  private static String address(ByteString bytes, int length) {
    if (bytes.size() != length) {
      return "";
    }
    InetAddress address;
    try {
      address = InetAddress.getByAddress(bytes.toByteArray()); // raw bytes: no name lookup
    } catch (UnknownHostException impossibleForTheseLengths) {
      return "";
    }
    return address instanceof Inet6Address ? shortIpv6(bytes) : address.getHostAddress();
  }

  /** Lower-case hex groups, the longest run of two or more zero groups written as "::". */
  private static String shortIpv6(ByteString bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (bytes.byteAt(2 * i) & 0xff) << 8 | bytes.byteAt(2 * i + 1) & 0xff;
    }
    int runStart = -1;
    int runLength = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > runLength && j - i >= 2) {
        runStart = i;
        runLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == runStart) {
        text.append("::");
        i += runLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  /** fixed64 / uint64 values past Long.MAX_VALUE are no real time: treated as absent. */
  private static long unsigned(long value) {
    return Math.max(0, value);
  }
}
