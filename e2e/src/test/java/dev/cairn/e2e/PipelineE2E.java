package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.store.pg.StoredSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole data path: spans exported by the OpenTelemetry Java SDK go through collector, Kafka,
 * sampler, Kafka, storage and TimescaleDB, and come back out of query-svc's REST API unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineE2E {

  /** What the SDK reports as the parent of a root span. */
  private static final String INVALID_SPAN_ID = io.opentelemetry.api.trace.SpanId.getInvalid();

  private static final Duration STORED_WITHIN = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
  @ValueSource(strings = {"grpc", "http"})
  void sdkTraceOfThreeServicesComesBackUnchanged(String protocol) throws Exception {
    String suffix = pipeline.runId + "-" + protocol;
    List<SpanData> exported = exportThreeServiceTrace(protocol, suffix);
    String traceId = exported.get(0).getTraceId();

    List<Span> stored = query.awaitSpans(traceId, exported.size(), STORED_WITHIN);

    Map<String, Span> byId =
        stored.stream().collect(Collectors.toMap(s -> s.spanId().toHex(), Function.identity()));
    assertThat(byId).hasSize(exported.size());
    for (SpanData expected : exported) {
      assertSameSpan(byId.get(expected.getSpanId()), expected);
    }

    // Search finds it by service, by a typed tag (int compared as text) and by duration.
    String frontend = "frontend-" + suffix;
    assertThat(query.search("service=" + frontend + "&tag=http.status_code:200&minDuration=200ms"))
        .contains(traceId);
    assertThat(
            query.search(
                "service=" + frontend + "&tag=http.route:/checkout&operation=GET+/checkout"))
        .contains(traceId);
    assertThat(query.search("service=payments-" + suffix + "&error=true")).contains(traceId);
    assertThat(query.search("service=" + frontend + "&minDuration=10s")).doesNotContain(traceId);
    assertThat(query.search("service=" + frontend + "&tag=http.status_code:404")).isEmpty();
  }

  @Test
  void batchWithAnAllZeroTraceIdStoresTheValidSpansAndReportsTheRest() throws Exception {
    TraceId valid = SpanFixtures.randomTraceId();
    List<Span> spans = new ArrayList<>(SpanFixtures.threeServiceTrace(valid, nowNanos()));
    Span invalid = spans.get(1);
    spans.add(
        new Span(
            new TraceId(0, 0),
            invalid.spanId(),
            invalid.parentSpanId(),
            invalid.traceState(),
            invalid.flags(),
            invalid.name(),
            invalid.kind(),
            invalid.startTimeUnixNano(),
            invalid.endTimeUnixNano(),
            invalid.attributes(),
            invalid.droppedAttributesCount(),
            invalid.events(),
            invalid.droppedEventsCount(),
            invalid.links(),
            invalid.droppedLinksCount(),
            invalid.status(),
            invalid.resource(),
            invalid.scope()));

    ExportTraceServiceResponse response = postProtobuf(spans);

    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).containsIgnoringCase("trace id");
    List<Span> stored =
        query.awaitSpans(valid.toHex(), SpanFixtures.THREE_SERVICE_SPAN_COUNT, STORED_WITHIN);
    assertThat(stored).hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
  }

  @Test
  void killingStorageMidStreamLosesAndDuplicatesNothing() throws Exception {
    int traces = 300;
    List<TraceId> ids = new ArrayList<>();
    long start = nowNanos();
    for (int i = 0; i < traces; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      ids.add(id);
      assertThat(postProtobuf(SpanFixtures.threeServiceTrace(id, start + i)).hasPartialSuccess())
          .isFalse();
      if (i == traces / 3) {
        pipeline.storage.kill();
      }
      if (i == 2 * traces / 3) {
        pipeline.storage.restart();
      }
    }

    long expectedSpans = (long) traces * SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    await()
        .atMost(STORED_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> storedSpanRows(ids)[0] >= expectedSpans);
    long[] counts = storedSpanRows(ids);
    assertThat(counts[0]).as("span rows").isEqualTo(expectedSpans);
    assertThat(counts[1]).as("distinct spans").isEqualTo(expectedSpans);
    assertThat(counts[2]).as("spans counted by trace summaries").isEqualTo(expectedSpans);
  }

  // --- exporting with the OpenTelemetry SDK -----------------------------------------------

  private List<SpanData> exportThreeServiceTrace(String protocol, String suffix) {
    SdkSpans recorded = new SdkSpans();
    List<SdkTracerProvider> providers = new ArrayList<>();
    Tracer frontend = tracer(providers, "frontend-" + suffix, protocol, recorded);
    Tracer checkout = tracer(providers, "checkout-" + suffix, protocol, recorded);
    Tracer payments = tracer(providers, "payments-" + suffix, protocol, recorded);

    long t0 = nowNanos() - TimeUnit.SECONDS.toNanos(1);
    io.opentelemetry.api.trace.Span root =
        frontend
            .spanBuilder("GET /checkout")
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
            .setAttribute("http.method", "GET")
            .setAttribute("http.route", "/checkout")
            .setAttribute("http.status_code", 200L)
            .setAttribute("cart.total", 99.5)
            .setAttribute("user.premium", true)
            .setAttribute(AttributeKey.stringArrayKey("feature.flags"), List.of("a", "b"))
            .setAttribute(AttributeKey.longArrayKey("retry.delays"), List.of(10L, 20L))
            .startSpan();
    io.opentelemetry.api.trace.Span call =
        frontend
            .spanBuilder("POST checkout")
            .setParent(Context.root().with(root))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
            .setStartTimestamp(t0 + ms(5), TimeUnit.NANOSECONDS)
            .startSpan();
    SpanContext elsewhere =
        SpanContext.create(
            SpanFixtures.randomTraceId().toHex(),
            SpanFixtures.randomSpanId().toHex(),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    io.opentelemetry.api.trace.Span checkoutServer =
        checkout
            .spanBuilder("POST /checkout")
            .setParent(Context.root().with(call))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0 + ms(8), TimeUnit.NANOSECONDS)
            .addLink(elsewhere, Attributes.of(AttributeKey.stringKey("link.reason"), "batch"))
            .startSpan();
    checkoutServer.addEvent(
        "cart.validated",
        Attributes.of(AttributeKey.longKey("cart.items"), 3L),
        t0 + ms(10),
        TimeUnit.NANOSECONDS);
    io.opentelemetry.api.trace.Span charge =
        payments
            .spanBuilder("charge")
            .setParent(Context.root().with(checkoutServer))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0 + ms(20), TimeUnit.NANOSECONDS)
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
    checkoutServer.setStatus(StatusCode.OK);
    checkoutServer.end(t0 + ms(230), TimeUnit.NANOSECONDS);
    call.end(t0 + ms(240), TimeUnit.NANOSECONDS);
    root.end(t0 + ms(250), TimeUnit.NANOSECONDS);

    for (SdkTracerProvider provider : providers) {
      CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("SDK export over " + protocol).isTrue();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(recorded.exported()).hasSize(4);
    return recorded.exported();
  }

  private Tracer tracer(
      List<SdkTracerProvider> providers, String service, String protocol, SdkSpans recorded) {
    SpanExporter otlp =
        protocol.equals("grpc")
            ? OtlpGrpcSpanExporter.builder()
                .setEndpoint(pipeline.otlpGrpcEndpoint())
                .setTimeout(Duration.ofSeconds(15))
                .build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(pipeline.otlpHttpUrl())
                .setTimeout(Duration.ofSeconds(15))
                .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"),
                                service,
                                AttributeKey.stringKey("host.name"),
                                "e2e-host"))))
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite(otlp, recorded)))
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
    assertThat(stored.startTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
    assertThat(stored.endTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
    assertThat(stored.attributes())
        .containsExactlyInAnyOrderElementsOf(SdkSpans.toModel(expected.getAttributes()));
    assertThat(stored.status().code().name())
        .isEqualTo(expected.getStatus().getStatusCode().name());
    assertThat(stored.status().message()).isEqualTo(expected.getStatus().getDescription());
    assertThat(stored.events()).hasSameSizeAs(expected.getEvents());
    for (int i = 0; i < expected.getEvents().size(); i++) {
      EventData event = expected.getEvents().get(i);
      assertThat(stored.events().get(i).name()).isEqualTo(event.getName());
      assertThat(stored.events().get(i).timeUnixNano()).isEqualTo(event.getEpochNanos());
      assertThat(stored.events().get(i).attributes())
          .containsExactlyInAnyOrderElementsOf(SdkSpans.toModel(event.getAttributes()));
    }
    assertThat(stored.links()).hasSameSizeAs(expected.getLinks());
    for (int i = 0; i < expected.getLinks().size(); i++) {
      LinkData link = expected.getLinks().get(i);
      assertThat(stored.links().get(i).traceId().toHex())
          .isEqualTo(link.getSpanContext().getTraceId());
      assertThat(stored.links().get(i).spanId().toHex())
          .isEqualTo(link.getSpanContext().getSpanId());
      assertThat(stored.links().get(i).attributes())
          .containsExactlyInAnyOrderElementsOf(SdkSpans.toModel(link.getAttributes()));
    }
    assertThat(stored.resource().attributes())
        .containsExactlyInAnyOrderElementsOf(
            SdkSpans.toModel(expected.getResource().getAttributes()));
    assertThat(stored.scope().name()).isEqualTo(expected.getInstrumentationScopeInfo().getName());
    assertThat(stored.scope().version())
        .isEqualTo(expected.getInstrumentationScopeInfo().getVersion());
  }

  // --- talking to the services ------------------------------------------------------------

  private ExportTraceServiceResponse postProtobuf(List<Span> spans)
      throws IOException, InterruptedException {
    return OtlpHttpExport.post(pipeline, spans);
  }

  /** The given traces as stored: spans, distinct spans, and spans counted by their summaries. */
  private static long[] storedSpanRows(List<TraceId> ids) throws SQLException {
    try (Connection connection =
        DriverManager.getConnection(Pipeline.jdbcUrl(), Pipeline.DB_USER, Pipeline.DB_PASSWORD)) {
      List<Span> stored = StoredSpans.of(connection, ids);
      long distinct = stored.stream().map(s -> List.of(s.traceId(), s.spanId())).distinct().count();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT coalesce(sum(span_count), 0) FROM trace_summaries_all"
                  + " WHERE trace_id = ANY(?::uuid[])")) {
        String[] uuids = ids.stream().map(PipelineE2E::uuid).toArray(String[]::new);
        statement.setArray(1, connection.createArrayOf("text", uuids));
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          return new long[] {stored.size(), distinct, rows.getLong(1)};
        }
      }
    }
  }

  private static String uuid(TraceId id) {
    return StoredTraces.uuid(id.toHex());
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
