package dev.cairn.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** OTLP messages for tests; random ids so that concurrent runs never share a trace. */
public final class OtlpFixtures {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Start of every fixture span: a minute before the tests started (whole seconds), inside the
   * gateway's accepted time window for a real clock. Unit tests fix their clock relative to it.
   */
  public static final long START =
      TimeUnit.SECONDS.toNanos(Instant.now().minusSeconds(60).getEpochSecond());

  private OtlpFixtures() {}

  public static ByteString randomTraceId() {
    return randomBytes(16);
  }

  public static ByteString randomSpanId() {
    return randomBytes(8);
  }

  public static ByteString zeros(int length) {
    return ByteString.copyFrom(new byte[length]);
  }

  private static ByteString randomBytes(int length) {
    byte[] bytes = new byte[length];
    do {
      RANDOM.nextBytes(bytes);
    } while (Arrays.equals(bytes, new byte[length]));
    return ByteString.copyFrom(bytes);
  }

  /** A valid root span of the trace. */
  public static Span.Builder span(ByteString traceId, String name) {
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(randomSpanId())
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(START + 1_000_000)
        .addAttributes(attribute("http.route", "/checkout"));
  }

  public static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  public static ResourceSpans resourceSpans(String service, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("cairn-test").setVersion("1"))
                .addAllSpans(spans))
        .build();
  }

  public static ExportTraceServiceRequest request(ResourceSpans... resourceSpans) {
    return ExportTraceServiceRequest.newBuilder()
        .addAllResourceSpans(List.of(resourceSpans))
        .build();
  }
}
