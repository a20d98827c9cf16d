package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A trace of 20,000 spans, several Kafka records' worth, sent as ONE OTLP request (the SDK's
 * exporter called with all spans at once, the hard case; its batch processor would send 512 per
 * request) over OTLP/HTTP protobuf and over OTLP/gRPC, comes back whole from {@code GET
 * /api/v1/traces/{id}}: every span id once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeTraceE2E {

  private static final int SPANS = 20_000;
  private static final Duration STORED_WITHIN = Duration.ofSeconds(120);
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
  @ValueSource(strings = {"http", "grpc"})
  void aTwentyThousandSpanTraceInOneRequestIsStoredAndReturnedWhole(String protocol)
      throws Exception {
    List<SpanData> trace = recordTrace("batch-job-" + pipeline.runId + "-" + protocol);
    assertThat(trace).hasSize(SPANS);
    String traceId = trace.get(0).getTraceId();

    SpanExporter exporter = exporter(protocol);
    try {
      CompletableResultCode sent = exporter.export(trace).join(90, TimeUnit.SECONDS);
      assertThat(sent.isSuccess()).as("one export of %d spans over %s", SPANS, protocol).isTrue();
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }

    List<Span> stored = query.awaitSpans(traceId, SPANS, STORED_WITHIN);
    List<String> storedIds = stored.stream().map(s -> s.spanId().toHex()).toList();
    assertThat(storedIds).hasSize(SPANS).doesNotHaveDuplicates();
    Set<String> exportedIds = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    assertThat(Set.copyOf(storedIds)).isEqualTo(exportedIds);
  }

  /**
   * A root and {@code SPANS - 1} children, recorded by the SDK without exporting them: small spans
   * (name, one attribute), so that the one request stays under the collector's 8 MiB limit (about 2
   * MiB here) while the trace is well over one 1 MiB record.
   */
  private static List<SpanData> recordTrace(String service) {
    SdkSpans recorded = new SdkSpans();
    SdkTracerProvider provider = recorded.recordingProvider(service);
    try {
      Tracer tracer = provider.get("dev.cairn.e2e", "1.0");
      long t0 = nowNanos() - TimeUnit.SECONDS.toNanos(30);
      io.opentelemetry.api.trace.Span root =
          tracer.spanBuilder("run batch").setStartTimestamp(t0, TimeUnit.NANOSECONDS).startSpan();
      Context parent = Context.root().with(root);
      for (int i = 1; i < SPANS; i++) {
        tracer
            .spanBuilder("item")
            .setParent(parent)
            .setStartTimestamp(t0 + i * 1_000L, TimeUnit.NANOSECONDS)
            .setAttribute("item.index", (long) i)
            .startSpan()
            .end(t0 + i * 1_000L + 500, TimeUnit.NANOSECONDS);
      }
      root.end(t0 + SPANS * 1_000L, TimeUnit.NANOSECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    return recorded.exported();
  }

  private SpanExporter exporter(String protocol) {
    return protocol.equals("grpc")
        ? OtlpGrpcSpanExporter.builder()
            .setEndpoint(pipeline.otlpGrpcEndpoint())
            .setTimeout(Duration.ofSeconds(60))
            .build()
        : OtlpHttpSpanExporter.builder()
            .setEndpoint(pipeline.otlpHttpUrl())
            .setTimeout(Duration.ofSeconds(60))
            .build();
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
