package dev.cairn.collector.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.collector.TopicReader;
import dev.cairn.collector.TopicReader.WireRecord;
import dev.cairn.model.TraceId;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry Java SDK's own OTLP exporters (gRPC and HTTP/protobuf, gzip) talk to us. */
@QuarkusTest
class OpenTelemetrySdkIT {

  @Inject GrpcServer grpcServer;

  @TestHTTPResource("/v1/traces")
  URL httpEndpoint;

  @ConfigProperty(name = "cairn.collector.kafka.topic")
  String topic;

  @ConfigProperty(name = "cairn.collector.kafka.bootstrap-servers")
  String bootstrap;

  @Test
  void grpcExporter() {
    exportATwoSpanTrace(
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + grpcServer.getPort())
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(20))
            .build());
  }

  @Test
  void httpProtobufExporter() {
    exportATwoSpanTrace(
        OtlpHttpSpanExporter.builder()
            .setEndpoint(httpEndpoint.toString())
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(20))
            .build());
  }

  private void exportATwoSpanTrace(SpanExporter exporter) {
    ResultRecordingExporter recording = new ResultRecordingExporter(exporter);
    String traceHex;
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put(AttributeKey.stringKey("service.name"), "sdk-it")
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(recording))
            .build()) {
      Tracer tracer = provider.get("cairn-it");
      Span parent = tracer.spanBuilder("parent").startSpan();
      traceHex = parent.getSpanContext().getTraceId();
      try (Scope ignored = parent.makeCurrent()) {
        tracer.spanBuilder("child").setAttribute("k", "v").startSpan().end();
      } finally {
        parent.end();
      }
      assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    assertThat(recording.results).hasSize(2).allMatch(CompletableResultCode::isSuccess);
    TraceId traceId = TraceId.fromHex(traceHex);
    List<WireRecord> records =
        TopicReader.read(bootstrap, topic, Set.of(traceId), 2, Duration.ofSeconds(1));
    assertThat(records.stream().flatMap(r -> r.spanNames().stream()))
        .containsExactlyInAnyOrder("parent", "child");
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(traceId));
  }

  /** Keeps the outcome of every export: SimpleSpanProcessor would otherwise only log failures. */
  private static final class ResultRecordingExporter implements SpanExporter {
    final List<CompletableResultCode> results = new CopyOnWriteArrayList<>();
    private final SpanExporter delegate;

    ResultRecordingExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      results.add(result);
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
