package dev.cairn.loadgen.transport.http;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.loadgen.run.ExportResult;
import dev.cairn.loadgen.run.TraceExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP with protobuf bodies ({@code POST /v1/traces}), through one {@link HttpClient}. Over
 * HTTP/1.1 the client opens one TCP connection per concurrent request and reuses them.
 */
public final class HttpTraceExporter implements TraceExporter {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final int MAX_MESSAGE_CHARS = 300;

  private final HttpClient client;
  private final URI uri;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final boolean gzip;

  private HttpTraceExporter(
      HttpClient client, URI uri, Map<String, String> headers, Duration timeout, boolean gzip) {
    this.client = client;
    this.uri = uri;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.gzip = gzip;
  }

  /**
   * @param endpoint {@code host:port}, or a URL; {@code /v1/traces} is appended when it has no path
   * @param headers sent with every request (e.g. authorization)
   * @param timeout of each request, and of connecting
   * @param gzip whether to compress request bodies
   */
  public static HttpTraceExporter connect(
      String endpoint, Map<String, String> headers, Duration timeout, boolean gzip) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    return new HttpTraceExporter(client, tracesUri(endpoint), headers, timeout, gzip);
  }

  static URI tracesUri(String endpoint) {
    String url = endpoint.contains("://") ? endpoint : "http://" + endpoint;
    URI uri = URI.create(url);
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
      uri = uri.resolve("/v1/traces");
    }
    return uri;
  }

  public URI uri() {
    return uri;
  }

  @Override
  public CompletableFuture<ExportResult> export(ExportTraceServiceRequest request) {
    byte[] body = request.toByteArray();
    HttpRequest.Builder http =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", PROTOBUF)
            .header("Accept", PROTOBUF);
    if (gzip) {
      body = gzip(body);
      http.header("Content-Encoding", "gzip");
    }
    headers.forEach(http::header);
    return client
        .sendAsync(
            http.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> error != null ? ExportResult.failed(error) : toResult(response));
  }

  private static ExportResult toResult(HttpResponse<byte[]> response) {
    byte[] body = response.body();
    try {
      if (response
          .headers()
          .firstValue("Content-Encoding")
          .filter("gzip"::equalsIgnoreCase)
          .isPresent()) {
        body = gunzip(body);
      }
    } catch (IOException e) {
      return ExportResult.failed("BAD_RESPONSE", "undecodable gzip body: " + e.getMessage());
    }
    if (response.statusCode() / 100 != 2) {
      return ExportResult.failed("HTTP_" + response.statusCode(), text(body));
    }
    if (body.length == 0) {
      return ExportResult.accepted(0, "");
    }
    try {
      ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(body);
      return ExportResult.accepted(
          answer.getPartialSuccess().getRejectedSpans(),
          answer.getPartialSuccess().getErrorMessage());
    } catch (InvalidProtocolBufferException e) {
      // a 2xx with a body we cannot read: the spans were taken, the count of rejects is unknown
      return ExportResult.accepted(0, "unparseable response body: " + text(body));
    }
  }

  private static String text(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "…" : text;
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return zip.readAllBytes();
    }
  }

  @Override
  public void close() {
    // Java 17's HttpClient has no close(); its threads are daemons and go with the JVM.
  }
}
