package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.okhttp3.OkHttpSender;

/**
 * Zipkin v2 sent by a real Zipkin client, the OpenTelemetry Java SDK's {@code ZipkinSpanExporter}
 * (JSON and proto3, gzip as it sends them), to the collector's receiver comes back out of query-svc
 * like the same spans sent over OTLP ({@code PipelineE2E}) do: same ids, parents, names, kinds,
 * status, attributes, events, service and scope, within what Zipkin's model carries (microsecond
 * times, attribute values as text, no links, no resource beyond the service; names are lowercase
 * because the exporter's Zipkin model lowercases them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinE2E {

  private static final String INVALID_SPAN_ID = io.opentelemetry.api.trace.SpanId.getInvalid();
  private static final Duration STORED_WITHIN = Duration.ofSeconds(60);

  /** What the exporter writes as every span's local endpoint address. */
  private static final InetAddress LOCAL_IP = InetAddress.getLoopbackAddress();

  private Pipeline pipeline;
  private QueryClient query;

  @BeforeAll
  void startPipeline() throws Exception {
    pipeline = Pipeline.start();
    query = new QueryClient(pipeline);
  }

  @AfterAll
  void stopPipeline() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "proto3"})
  void traceSentByTheSdksZipkinExporterIsStoredAndReturnedLikeOtlp(String encoding)
      throws Exception {
    String suffix = pipeline.runId + "-" + encoding;
    List<SpanData> exported = exportTrace(encoding, suffix);
    String traceId = exported.get(0).getTraceId();

    List<Span> stored = query.awaitSpans(traceId, exported.size(), STORED_WITHIN);

    Map<String, Span> byId =
        stored.stream().collect(Collectors.toMap(s -> s.spanId().toHex(), Function.identity()));
    assertThat(byId).hasSize(exported.size());
    for (SpanData expected : exported) {
      assertSameSpan(byId.get(expected.getSpanId()), expected);
    }
    String frontend = "frontend-" + suffix;
    assertThat(query.search("service=" + frontend + "&tag=http.status_code:200")).contains(traceId);
    assertThat(query.search("service=payments-" + suffix + "&error=true")).contains(traceId);
  }

  private List<SpanData> exportTrace(String encoding, String suffix) {
    SdkSpans recorded = new SdkSpans();
    List<SdkTracerProvider> providers = new ArrayList<>();
    Tracer frontend = tracer(providers, "frontend-" + suffix, recorded);
    Tracer payments = tracer(providers, "payments-" + suffix, recorded);

    long t0 = nowNanos() - TimeUnit.SECONDS.toNanos(1) + 123; // not on a microsecond
    io.opentelemetry.api.trace.Span root =
        frontend
            .spanBuilder("get /checkout")
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
            .setAttribute("http.method", "GET")
            .setAttribute("http.status_code", 200L)
            .setAttribute("cart.total", 99.5)
            .setAttribute("user.premium", true)
            .setAttribute(AttributeKey.stringArrayKey("feature.flags"), List.of("a", "b"))
            .startSpan();
    io.opentelemetry.api.trace.Span validate =
        frontend
            .spanBuilder("validate cart")
            .setParent(Context.root().with(root))
            .setStartTimestamp(t0 + ms(1), TimeUnit.NANOSECONDS)
            .startSpan();
    validate.addEvent(
        "cart.validated",
        Attributes.of(
            AttributeKey.longKey("cart.items"), 3L, AttributeKey.stringKey("cart.currency"), "EUR"),
        t0 + ms(2) + 7,
        TimeUnit.NANOSECONDS);
    validate.end(t0 + ms(3), TimeUnit.NANOSECONDS);
    io.opentelemetry.api.trace.Span call =
        frontend
            .spanBuilder("post charge")
            .setParent(Context.root().with(root))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
            .setStartTimestamp(t0 + ms(5), TimeUnit.NANOSECONDS)
            .setAttribute("peer.service", "payments-" + suffix)
            .setAttribute("server.socket.address", "127.0.0.1")
            .setAttribute("server.socket.port", 8443L)
            .startSpan();
    io.opentelemetry.api.trace.Span charge =
        payments
            .spanBuilder("charge")
            .setParent(Context.root().with(call))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0 + ms(8), TimeUnit.NANOSECONDS)
            .setAttribute("payment.provider", "acme")
            .startSpan();
    charge.addEvent(
        "exception",
        Attributes.of(
            AttributeKey.stringKey("exception.type"), "CardDeclined",
            AttributeKey.stringKey("exception.message"), "card declined"),
        t0 + ms(200),
        TimeUnit.NANOSECONDS);
    charge.setStatus(StatusCode.ERROR, "card declined");
    charge.end(t0 + ms(210), TimeUnit.NANOSECONDS);
    call.setStatus(StatusCode.OK);
    call.end(t0 + ms(240), TimeUnit.NANOSECONDS);
    root.end(t0 + ms(250), TimeUnit.NANOSECONDS);

    for (SdkTracerProvider provider : providers) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    List<SpanData> spans = recorded.exported();
    assertThat(spans).hasSize(4);
    // One export of the spans of both services, as one process's exporter would send them.
    try (ZipkinSpanExporter zipkin = zipkinExporter(encoding)) {
      CompletableResultCode exported = zipkin.export(spans).join(20, TimeUnit.SECONDS);
      assertThat(exported.isSuccess()).as("Zipkin export (" + encoding + ")").isTrue();
    }
    return spans;
  }

  /** The exporter as its documentation sets it up for each encoding: JSON by default. */
  private ZipkinSpanExporter zipkinExporter(String encoding) {
    ZipkinSpanExporterBuilder builder =
        ZipkinSpanExporter.builder()
            .setLocalIpAddressSupplier(() -> LOCAL_IP)
            .setReadTimeout(Duration.ofSeconds(15));
    if (encoding.equals("json")) {
      return builder.setEndpoint(pipeline.zipkinSpansUrl()).build();
    }
    return builder
        .setEncoder(SpanBytesEncoder.PROTO3)
        .setSender(
            OkHttpSender.newBuilder()
                .endpoint(pipeline.zipkinSpansUrl())
                .encoding(Encoding.PROTO3)
                .compressionEnabled(true)
                .build())
        .build();
  }

  private static Tracer tracer(
      List<SdkTracerProvider> providers, String service, SdkSpans recorded) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), service))))
            .addSpanProcessor(SimpleSpanProcessor.create(recorded))
            .build();
    providers.add(provider);
    return provider.get("dev.cairn.e2e", "1.2.3");
  }

  private static void assertSameSpan(Span stored, SpanData expected) {
    assertThat(stored).as("span %s stored", expected.getSpanId()).isNotNull();
    assertThat(stored.traceId().toHex()).isEqualTo(expected.getTraceId());
    assertThat(stored.parentSpanId().map(SpanId::toHex).orElse(INVALID_SPAN_ID))
        .isEqualTo(expected.getParentSpanId());
    assertThat(stored.name()).isEqualTo(expected.getName());
    assertThat(stored.kind()).isEqualTo(SpanKind.valueOf(expected.getKind().name()));
    long startMicros = TimeUnit.NANOSECONDS.toMicros(expected.getStartEpochNanos());
    long endMicros = TimeUnit.NANOSECONDS.toMicros(expected.getEndEpochNanos());
    assertThat(stored.startTimeUnixNano()).isEqualTo(startMicros * 1000);
    assertThat(stored.endTimeUnixNano()).isEqualTo(endMicros * 1000);
    assertThat(text(stored.attributes()))
        .containsExactlyInAnyOrderEntriesOf(expectedAttributes(expected));
    assertThat(stored.status().code().name())
        .isEqualTo(expected.getStatus().getStatusCode().name());
    assertThat(stored.status().message()).isEqualTo(expected.getStatus().getDescription());
    assertThat(stored.events()).hasSameSizeAs(expected.getEvents());
    for (int i = 0; i < expected.getEvents().size(); i++) {
      EventData event = expected.getEvents().get(i);
      assertThat(stored.events().get(i).name()).isEqualTo(event.getName());
      assertThat(stored.events().get(i).timeUnixNano())
          .isEqualTo(TimeUnit.NANOSECONDS.toMicros(event.getEpochNanos()) * 1000);
      // Event attributes travel as JSON inside the annotation: their types survive.
      assertThat(stored.events().get(i).attributes())
          .containsExactlyInAnyOrderElementsOf(SdkSpans.toModel(event.getAttributes()));
    }
    assertThat(stored.links()).isEmpty();
    assertThat(stored.resource().attributes())
        .containsExactly(
            new Attribute(
                "service.name",
                new AttributeValue.StringValue(
                    expected.getResource().getAttribute(AttributeKey.stringKey("service.name")))));
    assertThat(stored.scope().name()).isEqualTo(expected.getInstrumentationScopeInfo().getName());
    assertThat(stored.scope().version())
        .isEqualTo(expected.getInstrumentationScopeInfo().getVersion());
  }

  /**
   * The span's attributes as the exporter's tags carry them (values as text, arrays joined with
   * commas), plus what the collector derives from the Zipkin endpoints.
   */
  private static Map<String, String> expectedAttributes(SpanData span) {
    Map<String, String> expected = new LinkedHashMap<>();
    span.getAttributes()
        .forEach(
            (key, value) ->
                expected.put(
                    key.getKey(),
                    value instanceof List<?> list
                        ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                        : String.valueOf(value)));
    expected.put("net.host.ip", LOCAL_IP.getHostAddress());
    if (span.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT) {
      expected.put("net.peer.ip", "127.0.0.1");
      expected.put("net.peer.port", "8443");
    }
    return expected;
  }

  private static Map<String, String> text(List<Attribute> attributes) {
    Map<String, String> text = new LinkedHashMap<>();
    for (Attribute attribute : attributes) {
      AttributeValue value = attribute.value();
      text.put(
          attribute.key(),
          value instanceof AttributeValue.StringValue string
              ? string.value()
              : value instanceof AttributeValue.IntValue integer
                  ? String.valueOf(integer.value())
                  : value.toString());
    }
    return text;
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
