package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Exports spans to a pipeline's collector as one OTLP/HTTP protobuf request, as an SDK would. */
final class OtlpHttpExport {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OtlpHttpExport() {}

  /** Posts the spans; the collector must answer 200. Returns its answer. */
  static ExportTraceServiceResponse post(Pipeline pipeline, List<Span> spans)
      throws IOException, InterruptedException {
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addAllResourceSpans(OtlpSpanMapper.toTracesData(spans).getResourceSpansList())
            .build()
            .toByteArray();
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(pipeline.otlpHttpUrl()))
                .header("Content-Type", "application/x-protobuf")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("OTLP/HTTP export").isEqualTo(200);
    return ExportTraceServiceResponse.parseFrom(response.body());
  }
}
