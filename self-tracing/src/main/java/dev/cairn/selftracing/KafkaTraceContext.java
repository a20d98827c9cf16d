package dev.cairn.selftracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers, so that one
 * of Cairn's own traces follows a request from the collector through the sampler to storage.
 *
 * <p>Stages after the collector only continue a trace: {@link #continueTrace} starts a span only
 * for a record whose context is sampled, and an untraced record costs a header lookup. So Cairn's
 * own spans, whose records carry no context ({@link SelfTelemetry}), are never traced again.
 */
public final class KafkaTraceContext {

  public static final String TRACEPARENT = "traceparent";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapSetter<Headers> SETTER =
      (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
      };

  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          for (Header header : headers) {
            keys.add(header.key());
          }
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          if (headers == null) {
            return null;
          }
          Header header = headers.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private KafkaTraceContext() {}

  /** Writes the span's context into the headers; does nothing for an invalid (untraced) span. */
  public static void inject(Span span, Headers headers) {
    if (span.getSpanContext().isValid()) {
      W3C.inject(Context.root().with(span), headers, SETTER);
    }
  }

  /** The context a record carries, {@link Context#root()} when it has none. */
  public static Context extract(Headers headers) {
    return W3C.extract(Context.root(), headers, GETTER);
  }

  /**
   * A span continuing the trace of the record, started now; {@link Span#getInvalid()} (whose
   * methods do nothing) when the record carries no sampled context.
   */
  public static Span continueTrace(Tracer tracer, String name, SpanKind kind, Headers headers) {
    Context parent = extract(headers);
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    if (!parentSpan.isValid() || !parentSpan.isSampled()) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan();
  }
}
