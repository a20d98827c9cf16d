package dev.cairn.query.transport.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Spans as Jaeger's UI model, translated the way Jaeger translates OTLP (OpenTelemetry Collector
 * contrib's {@code pkg/translator/jaeger/traces_to_jaegerproto.go}, then Jaeger's {@code
 * uimodel/converter/v1/json/from_domain.go}):
 *
 * <ul>
 *   <li>tags: {@code otel.scope.name}, {@code otel.scope.version}, the span's attributes, {@code
 *       span.kind}, {@code otel.status_code} (OK or ERROR), {@code error=true} for ERROR, {@code
 *       otel.status_description}, {@code w3c.tracestate}, in that order;
 *   <li>references: the parent as CHILD_OF first, then each link as FOLLOWS_FROM (CHILD_OF when its
 *       {@code opentracing.ref_type} attribute says {@code child_of}); a link to the parent only
 *       retypes the parent's reference;
 *   <li>logs: one per event, its name as an {@code event} field unless an attribute has that key;
 *   <li>processes: one per distinct resource (service name and the other resource attributes),
 *       keyed p1, p2, … in order of first use;
 *   <li>times in microseconds, truncated; ids as lowercase hex, a trace id whose high 64 bits are
 *       zero as 16 digits (as Jaeger prints it); integers beyond JavaScript's safe range as decimal
 *       strings; bytes as base64; arrays and maps as their JSON text, typed string.
 * </ul>
 */
public final class JaegerTraceMapper {

  static final String CHILD_OF = "CHILD_OF";
  static final String FOLLOWS_FROM = "FOLLOWS_FROM";
  static final String REF_TYPE_ATTRIBUTE = "opentracing.ref_type";

  private static final long JS_MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private JaegerTraceMapper() {}

  /**
   * @param spans the spans of one trace, in the order the answer lists them; not empty
   * @param spanWarnings what read-time adjustment changed per span (Jaeger's span {@code
   *     warnings}); spans without an entry get none
   * @param traceWarnings what the answer lacks or changed as a whole; empty for none
   */
  public static JaegerModel.Trace toTrace(
      List<Span> spans, Map<SpanId, List<String>> spanWarnings, List<String> traceWarnings) {
    return toTrace(spans, Map.of(), spanWarnings, traceWarnings);
  }

  /**
   * As {@link #toTrace(List, Map, List)}, with read-time clock-skew shifts applied to the spans'
   * and their logs' times.
   *
   * @param shiftNanos added to a span's start and to its events' times; spans without an entry are
   *     printed as stored
   */
  public static JaegerModel.Trace toTrace(
      List<Span> spans,
      Map<SpanId, Long> shiftNanos,
      Map<SpanId, List<String>> spanWarnings,
      List<String> traceWarnings) {
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a trace has at least one span");
    }
    Map<JaegerModel.Process, String> processIds = new LinkedHashMap<>();
    List<JaegerModel.Span> jaegerSpans = new ArrayList<>(spans.size());
    for (Span span : spans) {
      JaegerModel.Process process = process(span);
      String processId = processIds.computeIfAbsent(process, p -> "p" + (processIds.size() + 1));
      jaegerSpans.add(
          span(
              span,
              processId,
              spanWarnings.get(span.spanId()),
              shiftNanos.getOrDefault(span.spanId(), 0L)));
    }
    Map<String, JaegerModel.Process> processes = new LinkedHashMap<>();
    processIds.forEach((process, id) -> processes.put(id, process));
    return new JaegerModel.Trace(
        traceId(spans.get(0).traceId()), jaegerSpans, processes, orNull(traceWarnings));
  }

  /** Jaeger prints a trace id with zero high bits as 16 hex digits (model.TraceID.String). */
  public static String traceId(TraceId id) {
    String hex = id.toHex();
    return id.high() == 0 ? hex.substring(16) : hex;
  }

  /** Jaeger's spelling of a span kind: lowercase, empty for unspecified. */
  public static String spanKind(SpanKind kind) {
    return kind == SpanKind.UNSPECIFIED ? "" : kind.name().toLowerCase(Locale.ROOT);
  }

  private static JaegerModel.Span span(
      Span span, String processId, List<String> warnings, long shiftNanos) {
    return new JaegerModel.Span(
        traceId(span.traceId()),
        span.spanId().toHex(),
        span.name(),
        references(span),
        micros(span.startTimeUnixNano() + shiftNanos),
        micros(Math.max(0, span.endTimeUnixNano() - span.startTimeUnixNano())),
        tags(span),
        logs(span.events(), shiftNanos),
        processId,
        warnings == null ? null : orNull(warnings));
  }

  private static JaegerModel.Process process(Span span) {
    List<JaegerModel.KeyValue> tags = new ArrayList<>();
    for (Attribute attribute : span.resource().attributes()) {
      if (!attribute.key().equals(Resource.SERVICE_NAME)) {
        tags.add(keyValue(attribute));
      }
    }
    return new JaegerModel.Process(span.serviceName(), tags);
  }

  private static List<JaegerModel.Reference> references(Span span) {
    List<JaegerModel.Reference> references = new ArrayList<>(span.links().size() + 1);
    String traceId = traceId(span.traceId());
    Optional<SpanId> parent = span.parentSpanId().filter(SpanId::isValid);
    parent.ifPresent(p -> references.add(new JaegerModel.Reference(CHILD_OF, traceId, p.toHex())));
    for (SpanLink link : span.links()) {
      String refType = refType(link);
      if (parent.isPresent()
          && link.traceId().equals(span.traceId())
          && link.spanId().equals(parent.get())) {
        // The link says how this span relates to its parent: it retypes that reference.
        references.set(0, new JaegerModel.Reference(refType, traceId, parent.get().toHex()));
        continue;
      }
      references.add(
          new JaegerModel.Reference(refType, traceId(link.traceId()), link.spanId().toHex()));
    }
    return references;
  }

  private static String refType(SpanLink link) {
    return Attribute.find(link.attributes(), REF_TYPE_ATTRIBUTE)
            .filter(v -> v instanceof AttributeValue.StringValue s && s.value().equals("child_of"))
            .isPresent()
        ? CHILD_OF
        : FOLLOWS_FROM;
  }

  private static List<JaegerModel.KeyValue> tags(Span span) {
    List<JaegerModel.KeyValue> tags = new ArrayList<>(span.attributes().size() + 6);
    InstrumentationScope scope = span.scope();
    if (!scope.name().isEmpty()) {
      tags.add(string("otel.scope.name", scope.name()));
    }
    if (!scope.version().isEmpty()) {
      tags.add(string("otel.scope.version", scope.version()));
    }
    for (Attribute attribute : span.attributes()) {
      tags.add(keyValue(attribute));
    }
    if (span.kind() != SpanKind.UNSPECIFIED) {
      tags.add(string("span.kind", spanKind(span.kind())));
    }
    StatusCode status = span.status().code();
    if (status != StatusCode.UNSET) {
      tags.add(string("otel.status_code", status.name()));
    }
    if (status == StatusCode.ERROR) {
      tags.add(new JaegerModel.KeyValue("error", "bool", true));
    }
    if (!span.status().message().isEmpty()) {
      tags.add(string("otel.status_description", span.status().message()));
    }
    if (!span.traceState().isEmpty()) {
      tags.add(string("w3c.tracestate", span.traceState()));
    }
    return tags;
  }

  private static List<JaegerModel.Log> logs(List<SpanEvent> events, long shiftNanos) {
    List<JaegerModel.Log> logs = new ArrayList<>(events.size());
    for (SpanEvent event : events) {
      List<JaegerModel.KeyValue> fields = new ArrayList<>(event.attributes().size() + 1);
      if (!event.name().isEmpty() && Attribute.find(event.attributes(), "event").isEmpty()) {
        fields.add(string("event", event.name()));
      }
      for (Attribute attribute : event.attributes()) {
        fields.add(keyValue(attribute));
      }
      logs.add(new JaegerModel.Log(micros(event.timeUnixNano() + shiftNanos), fields));
    }
    return logs;
  }

  static JaegerModel.KeyValue keyValue(Attribute attribute) {
    AttributeValue value = attribute.value();
    String key = attribute.key();
    if (value instanceof AttributeValue.StringValue s) {
      return string(key, s.value());
    } else if (value instanceof AttributeValue.BoolValue b) {
      return new JaegerModel.KeyValue(key, "bool", b.value());
    } else if (value instanceof AttributeValue.IntValue i) {
      long n = i.value();
      // JavaScript numbers lose precision beyond 2^53; Jaeger sends those as strings.
      Object safe =
          n > JS_MAX_SAFE_INTEGER || n < -JS_MAX_SAFE_INTEGER ? Long.toString(n) : (Object) n;
      return new JaegerModel.KeyValue(key, "int64", safe);
    } else if (value instanceof AttributeValue.DoubleValue d) {
      double x = d.value();
      // JSON has no NaN or infinities; their text keeps them readable.
      Object finite = Double.isFinite(x) ? (Object) x : Double.toString(x);
      return new JaegerModel.KeyValue(key, "float64", finite);
    } else if (value instanceof AttributeValue.BytesValue y) {
      return new JaegerModel.KeyValue(key, "binary", BASE64.encodeToString(y.value()));
    } else if (value instanceof AttributeValue.Empty) {
      return string(key, "");
    }
    return string(key, jsonText(value));
  }

  /** Arrays and maps as pcommon.Value.AsString writes them: their JSON text. */
  private static String jsonText(AttributeValue value) {
    try {
      return JSON.writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("attribute value cannot be written as JSON", e);
    }
  }

  private static Object plain(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue s) {
      return s.value();
    } else if (value instanceof AttributeValue.BoolValue b) {
      return b.value();
    } else if (value instanceof AttributeValue.IntValue i) {
      return i.value();
    } else if (value instanceof AttributeValue.DoubleValue d) {
      return Double.isFinite(d.value()) ? (Object) d.value() : Double.toString(d.value());
    } else if (value instanceof AttributeValue.BytesValue y) {
      return BASE64.encodeToString(y.value());
    } else if (value instanceof AttributeValue.ArrayValue a) {
      return a.values().stream().map(JaegerTraceMapper::plain).toList();
    } else if (value instanceof AttributeValue.KeyValueList kv) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Attribute attribute : kv.values()) {
        map.put(attribute.key(), plain(attribute.value()));
      }
      return map;
    }
    return null;
  }

  private static JaegerModel.KeyValue string(String key, String value) {
    return new JaegerModel.KeyValue(key, "string", value);
  }

  private static long micros(long nanos) {
    return nanos / 1_000;
  }

  private static <T> List<T> orNull(List<T> list) {
    return list.isEmpty() ? null : List.copyOf(list);
  }
}
