package dev.cairn.selftracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaTraceContextTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build()
          .get("test");

  @Test
  void aRecordsContextIsContinuedByTheNextStageAndPassedOn() {
    Span ingest = tracer.spanBuilder("ingest").startSpan();
    RecordHeaders ingested = new RecordHeaders();
    KafkaTraceContext.inject(ingest, ingested);
    ingest.end();

    Span sample = KafkaTraceContext.continueTrace(tracer, "sample", SpanKind.CONSUMER, ingested);
    RecordHeaders sampled = new RecordHeaders();
    KafkaTraceContext.inject(sample, sampled);
    sample.end();

    SpanData sampleData = exported.getFinishedSpanItems().get(1);
    assertThat(sampleData.getTraceId()).isEqualTo(ingest.getSpanContext().getTraceId());
    assertThat(sampleData.getParentSpanId()).isEqualTo(ingest.getSpanContext().getSpanId());
    assertThat(sampleData.getKind()).isEqualTo(SpanKind.CONSUMER);
    String traceparent =
        new String(
            sampled.lastHeader(KafkaTraceContext.TRACEPARENT).value(), StandardCharsets.UTF_8);
    assertThat(traceparent)
        .isEqualTo("00-" + sampleData.getTraceId() + "-" + sampleData.getSpanId() + "-01");
  }

  @Test
  void aRecordWithoutContextStartsNoTraceAndPassesNoneOn() {
    RecordHeaders none = new RecordHeaders();

    Span span = KafkaTraceContext.continueTrace(tracer, "sample", SpanKind.CONSUMER, none);
    RecordHeaders out = new RecordHeaders();
    KafkaTraceContext.inject(span, out);
    span.end();

    assertThat(span.getSpanContext().isValid()).isFalse();
    assertThat(out.toArray()).isEmpty();
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void anUnsampledContextIsNotContinued() {
    Tracer dropping =
        SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build().get("test");
    Span unsampled = dropping.spanBuilder("ingest").startSpan();
    RecordHeaders headers = new RecordHeaders();
    // An unsampled span's context is valid and travels, flagged 00.
    KafkaTraceContext.inject(unsampled, headers);

    Span span = KafkaTraceContext.continueTrace(tracer, "sample", SpanKind.CONSUMER, headers);

    assertThat(span.getSpanContext().isValid()).isFalse();
  }

  @Test
  void injectingTwiceKeepsOneHeader() {
    Span first = tracer.spanBuilder("a").startSpan();
    Span second = tracer.spanBuilder("b").startSpan();
    RecordHeaders headers = new RecordHeaders();
    KafkaTraceContext.inject(first, headers);
    KafkaTraceContext.inject(second, headers);

    assertThat(headers.headers(KafkaTraceContext.TRACEPARENT)).hasSize(1);
    assertThat(
            new String(
                headers.lastHeader(KafkaTraceContext.TRACEPARENT).value(), StandardCharsets.UTF_8))
        .contains(second.getSpanContext().getSpanId());
  }
}
