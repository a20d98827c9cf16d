package dev.cairn.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small traced application for {@link AgentE2E}, run as a JVM of its own with the OpenTelemetry
 * SDK exporting to its own agent (OTLP/gRPC, batch processor, every span recorded: the agents do
 * the sampling), and W3C trace context over HTTP between the two services:
 *
 * <ul>
 *   <li>{@code backend <service> <otlp endpoint> <port>}: serves {@code GET /stock}, a server span
 *       continuing the caller's trace and an internal child span; prints {@code READY}, runs until
 *       stopped (flushing its spans on the way out);
 *   <li>{@code frontend <service> <otlp endpoint> <backend url> <requests>}: handles that many
 *       requests, each a server span and a client span calling the backend, prints {@code TRACE
 *       <id>} for each, flushes and exits.
 * </ul>
 */
public final class DemoService {

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<HttpExchange> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange exchange) {
          return exchange.getRequestHeaders().keySet();
        }

        @Override
        public String get(HttpExchange exchange, String key) {
          return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
        }
      };

  private DemoService() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    SdkTracerProvider provider = provider(args[1], args[2]);
    Tracer tracer = provider.get("dev.cairn.e2e.demo");
    if (mode.equals("backend")) {
      backend(tracer, provider, Integer.parseInt(args[3]));
    } else {
      frontend(tracer, URI.create(args[3]), Integer.parseInt(args[4]));
      provider.forceFlush().join(30, TimeUnit.SECONDS);
      provider.shutdown().join(30, TimeUnit.SECONDS);
    }
  }

  private static SdkTracerProvider provider(String service, String otlpEndpoint) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.getDefault()
                .merge(
                    Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .setSampler(Sampler.alwaysOn())
        .addSpanProcessor(
            BatchSpanProcessor.builder(
                    OtlpGrpcSpanExporter.builder()
                        .setEndpoint(otlpEndpoint)
                        .setTimeout(Duration.ofSeconds(10))
                        .build())
                .setScheduleDelay(Duration.ofMillis(200))
                .build())
        .build();
  }

  private static void backend(Tracer tracer, SdkTracerProvider provider, int port)
      throws IOException, InterruptedException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext(
        "/stock",
        exchange -> {
          Context caller = W3C.extract(Context.root(), exchange, HEADERS);
          Span span =
              tracer
                  .spanBuilder("GET /stock")
                  .setParent(caller)
                  .setSpanKind(SpanKind.SERVER)
                  .startSpan();
          try (Scope ignored = span.makeCurrent()) {
            tracer.spanBuilder("SELECT stock").startSpan().end();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } finally {
            span.end();
          }
        });
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  provider.forceFlush().join(30, TimeUnit.SECONDS);
                  provider.shutdown().join(30, TimeUnit.SECONDS);
                  stopped.countDown();
                }));
    System.out.println("READY");
    System.out.flush();
    stopped.await();
  }

  private static void frontend(Tracer tracer, URI backend, int requests)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI stock = backend.resolve("/stock");
    for (int i = 0; i < requests; i++) {
      Span server =
          tracer
              .spanBuilder("GET /checkout")
              .setNoParent()
              .setSpanKind(SpanKind.SERVER)
              .startSpan();
      try (Scope serving = server.makeCurrent()) {
        Span client = tracer.spanBuilder("GET /stock").setSpanKind(SpanKind.CLIENT).startSpan();
        try (Scope calling = client.makeCurrent()) {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(stock).timeout(Duration.ofSeconds(10));
          W3C.inject(Context.current(), request, HttpRequest.Builder::header);
          HttpResponse<Void> response =
              http.send(request.build(), HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            throw new IllegalStateException("backend answered " + response.statusCode());
          }
        } finally {
          client.end();
        }
      } finally {
        server.end();
      }
      System.out.println("TRACE " + server.getSpanContext().getTraceId());
    }
    System.out.flush();
  }

  /** The command line that runs this class in a JVM of its own, on this test's classpath. */
  static List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                DemoService.class.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
