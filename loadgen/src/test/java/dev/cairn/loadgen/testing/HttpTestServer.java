package dev.cairn.loadgen.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver ({@code POST /v1/traces}, protobuf) on a free local port, answering as its
 * {@link ScriptedReceiver} says; scripted failures get 503.
 */
public final class HttpTestServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  public final AtomicLong gzipRequests = new AtomicLong();

  public HttpTestServer(ScriptedReceiver receiver) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", exchange -> handle(exchange, receiver));
    server.setExecutor(executor);
    server.start();
  }

  private void handle(HttpExchange exchange, ScriptedReceiver receiver) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())
          || !"application/x-protobuf"
              .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        respond(exchange, 415, "protobuf POST only".getBytes(StandardCharsets.UTF_8), "text/plain");
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        gzipRequests.incrementAndGet();
        body = new GZIPInputStream(body);
      }
      ExportTraceServiceResponse answer =
          receiver.answer(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
      if (answer == null) {
        respond(exchange, 503, "scripted failure".getBytes(StandardCharsets.UTF_8), "text/plain");
      } else {
        respond(exchange, 200, answer.toByteArray(), "application/x-protobuf");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, String type)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
