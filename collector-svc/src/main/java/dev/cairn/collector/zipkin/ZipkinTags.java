package dev.cairn.collector.zipkin;

import dev.cairn.collector.zipkin.ZipkinSpan.Endpoint;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a Zipkin span's tags and endpoints mean in OTLP, following the OpenTelemetry Collector's
 * Zipkin receiver and the tags OpenTelemetry's Zipkin exporter writes: {@code otel.scope.*} (or the
 * older {@code otel.library.*}) is the instrumentation scope, {@code otel.status_code}, {@code
 * otel.status_description} and {@code error} the status, {@code otel.dropped_*_count} the dropped
 * counts, {@code w3c.tracestate} the trace state; every other tag is a string attribute (Zipkin
 * tags are strings: no number is guessed from text). The endpoints add {@code net.host.ip}, {@code
 * net.host.port}, {@code peer.service}, {@code net.peer.ip} and {@code net.peer.port} unless a tag
 * of that name is there, and a debug span carries {@code cairn.debug}.
 *
 * @param status ERROR when {@code error} is present (its value, unless empty or "true", is the
 *     message, as Zipkin puts the error's message there) or {@code otel.status_code} says so
 */
record ZipkinTags(
    String scopeName,
    String scopeVersion,
    Status status,
    String traceState,
    int droppedAttributes,
    int droppedEvents,
    List<KeyValue> attributes) {

  /** The span attribute a Zipkin debug span gets, so that tail sampling keeps its trace. */
  static final String DEBUG_ATTRIBUTE = "cairn.debug";

  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";
  static final String LIBRARY_NAME = "otel.library.name";
  static final String LIBRARY_VERSION = "otel.library.version";
  static final String STATUS_CODE = "otel.status_code";
  static final String STATUS_DESCRIPTION = "otel.status_description";
  static final String ERROR = "error";
  static final String DROPPED_ATTRIBUTES = "otel.dropped_attributes_count";
  static final String DROPPED_EVENTS = "otel.dropped_events_count";
  static final String TRACE_STATE = "w3c.tracestate";

  static ZipkinTags of(ZipkinSpan span) {
    Map<String, String> tags = new LinkedHashMap<>(span.tags());
    String scopeName = firstOf(tags.remove(SCOPE_NAME), tags.remove(LIBRARY_NAME));
    String scopeVersion = firstOf(tags.remove(SCOPE_VERSION), tags.remove(LIBRARY_VERSION));
    Status status = status(tags);
    String traceState = firstOf(tags.remove(TRACE_STATE), null);
    int droppedAttributes = count(tags, DROPPED_ATTRIBUTES);
    int droppedEvents = count(tags, DROPPED_EVENTS);

    List<KeyValue> attributes = new ArrayList<>(tags.size() + 4);
    tags.forEach((key, value) -> attributes.add(string(key, value)));
    Endpoint local = span.localEndpoint();
    addIfAbsent(tags, attributes, address("net.host.ip", local));
    addIfAbsent(tags, attributes, port("net.host.port", local.port()));
    Endpoint remote = span.remoteEndpoint();
    if (!remote.serviceName().isEmpty()) {
      addIfAbsent(tags, attributes, string("peer.service", remote.serviceName()));
    }
    addIfAbsent(tags, attributes, address("net.peer.ip", remote));
    addIfAbsent(tags, attributes, port("net.peer.port", remote.port()));
    if (span.debug()) {
      addIfAbsent(
          tags,
          attributes,
          KeyValue.newBuilder()
              .setKey(DEBUG_ATTRIBUTE)
              .setValue(AnyValue.newBuilder().setBoolValue(true))
              .build());
    }
    return new ZipkinTags(
        scopeName, scopeVersion, status, traceState, droppedAttributes, droppedEvents, attributes);
  }

  private static Status status(Map<String, String> tags) {
    Status.StatusCode code = Status.StatusCode.STATUS_CODE_UNSET;
    String codeTag = tags.get(STATUS_CODE);
    if (codeTag != null) {
      Status.StatusCode parsed = statusCode(codeTag);
      if (parsed != null) {
        code = parsed;
        tags.remove(STATUS_CODE);
      }
    }
    String message = firstOf(tags.remove(STATUS_DESCRIPTION), "");
    String error = tags.remove(ERROR);
    if (error != null) {
      code = Status.StatusCode.STATUS_CODE_ERROR;
      if (message.isEmpty() && !error.equals("true")) {
        message = error;
      }
    }
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  /** "ERROR", "Error", "STATUS_CODE_ERROR" alike; null when it is none of the three codes. */
  private static Status.StatusCode statusCode(String text) {
    String name = text.toUpperCase(Locale.ROOT);
    return switch (name.startsWith("STATUS_CODE_") ? name.substring(12) : name) {
      case "UNSET" -> Status.StatusCode.STATUS_CODE_UNSET;
      case "OK" -> Status.StatusCode.STATUS_CODE_OK;
      case "ERROR" -> Status.StatusCode.STATUS_CODE_ERROR;
      default -> null;
    };
  }

  /** The count a tag holds, removing the tag; 0 and the tag kept when it is not a count. */
  private static int count(Map<String, String> tags, String key) {
    String value = tags.get(key);
    if (value == null) {
      return 0;
    }
    try {
      int count = Integer.parseInt(value);
      if (count >= 0) {
        tags.remove(key);
        return count;
      }
    } catch (NumberFormatException notACount) {
      // kept as an ordinary attribute below
    }
    return 0;
  }

  private static void addIfAbsent(
      Map<String, String> tags, List<KeyValue> attributes, KeyValue attribute) {
    if (attribute != null && !tags.containsKey(attribute.getKey())) {
      attributes.add(attribute);
    }
  }

  /** The endpoint's IPv4 address, else its IPv6 one; null when it has neither. */
  private static KeyValue address(String key, Endpoint endpoint) {
    String address = firstOf(endpoint.ipv4(), endpoint.ipv6());
    return address.isEmpty() ? null : string(key, address);
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue port(String key, int port) {
    if (port == 0) {
      return null;
    }
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(port))
        .build();
  }

  private static String firstOf(String preferred, String fallback) {
    return preferred != null && !preferred.isEmpty()
        ? preferred
        : (fallback == null ? "" : fallback);
  }
}
