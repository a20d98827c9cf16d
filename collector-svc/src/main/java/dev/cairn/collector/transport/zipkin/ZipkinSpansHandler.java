package dev.cairn.collector.transport.zipkin;

import dev.cairn.collector.ingest.IngestResult;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.ParsedRequest;
import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.collector.ingest.Transport;
import dev.cairn.collector.transport.http.BoundedGzip;
import dev.cairn.collector.zipkin.ZipkinFormatException;
import dev.cairn.collector.zipkin.ZipkinRequestParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v2/spans}: Zipkin v2 JSON ({@code application/json}, also when no type is given,
 * as Zipkin assumes) or proto3 ({@code application/x-protobuf}), optionally gzip. Answers as Zipkin
 * does, 202 once every accepted span is in Kafka (with the rejected spans, if any, named in a
 * plain-text body that Zipkin clients ignore), and otherwise: 400 naming what is malformed, 413
 * over {@code max-request-bytes} (on the wire or decompressed), 415 for another type or encoding,
 * 503 with Retry-After when Kafka may take the spans later, 400 when it refused them for good. Runs
 * on a worker thread: a publish may wait for Kafka metadata.
 */
final class ZipkinSpansHandler implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger(ZipkinSpansHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final IngestService ingest;
  private final int maxRequestBytes;
  private final int retryAfterSeconds;

  ZipkinSpansHandler(IngestService ingest, int maxRequestBytes, int retryAfterSeconds) {
    this.ingest = ingest;
    this.maxRequestBytes = maxRequestBytes;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public void handle(RoutingContext context) {
    String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
    Transport transport = transport(contentType);
    if (transport == null) {
      respond(
          context,
          415,
          "unsupported Content-Type: "
              + contentType
              + " (Zipkin v2 is application/json or application/x-protobuf)");
      return;
    }
    String encoding = context.request().getHeader(HttpHeaders.CONTENT_ENCODING);
    ParsedRequest request;
    try {
      byte[] body = BoundedGzip.decode(body(context), encoding, maxRequestBytes);
      request =
          transport == Transport.ZIPKIN_PROTO3
              ? ZipkinRequestParser.proto3(body)
              : ZipkinRequestParser.json(body);
    } catch (BoundedGzip.UnsupportedEncodingException e) {
      respond(context, 415, e.getMessage());
      return;
    } catch (BoundedGzip.BodyTooLargeException e) {
      respond(context, 413, e.getMessage());
      return;
    } catch (ZipkinFormatException e) {
      String format = transport == Transport.ZIPKIN_PROTO3 ? "proto3" : "JSON";
      malformed(context, transport, "malformed Zipkin v2 " + format + " body: " + e.getMessage());
      return;
    } catch (IOException e) {
      malformed(context, transport, "malformed gzip body: " + e.getMessage());
      return;
    }
    ingest
        .ingest(request, transport)
        .whenComplete(
            (result, failure) -> {
              if (failure == null) {
                accepted(context, result);
              } else {
                publishFailed(context, failure);
              }
            });
  }

  /** The transport for the media type; null when it is neither of Zipkin's. */
  private static Transport transport(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Transport.ZIPKIN_JSON;
    }
    int parameters = contentType.indexOf(';');
    String mediaType =
        (parameters < 0 ? contentType : contentType.substring(0, parameters))
            .trim()
            .toLowerCase(Locale.ROOT);
    return switch (mediaType) {
      case "application/json" -> Transport.ZIPKIN_JSON;
      case "application/x-protobuf", "application/protobuf" -> Transport.ZIPKIN_PROTO3;
      default -> null;
    };
  }

  private static byte[] body(RoutingContext context) {
    Buffer buffer = context.body().buffer();
    return buffer == null ? new byte[0] : buffer.getBytes();
  }

  private static void accepted(RoutingContext context, IngestResult result) {
    respond(context, 202, result.errorMessage());
  }

  private void publishFailed(RoutingContext context, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof PublishFailedException publish && !publish.retryable()) {
      respond(context, 400, "spans refused, retrying will not help: " + publish.getMessage());
      return;
    }
    context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    respond(context, 503, "spans not accepted, retry later: " + cause.getMessage());
  }

  private void malformed(RoutingContext context, Transport transport, String reason) {
    LOG.debugf("refused a Zipkin request: %s", reason);
    ingest.rejectMalformed(transport);
    respond(context, 400, reason);
  }

  /** Writes the answer unless the client is gone; safe from any thread (Vert.x hops over). */
  static void respond(RoutingContext context, int status, String text) {
    HttpServerResponse response = context.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (text.isEmpty()) {
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(text);
    }
  }
}
