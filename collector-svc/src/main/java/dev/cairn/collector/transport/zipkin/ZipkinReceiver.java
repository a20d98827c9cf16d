package dev.cairn.collector.transport.zipkin;

import dev.cairn.collector.config.CollectorConfig;
import dev.cairn.collector.ingest.IngestService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The Zipkin v2 receiver: an HTTP server of its own on Quarkus' Vert.x (Quarkus serves one HTTP
 * port, OTLP's 4318), started with the application and stopped with it, in either role, since it
 * only calls {@link IngestService}. A port already taken fails the start, as for Quarkus' own.
 * Bodies are read up to {@code cairn.collector.ingest.max-request-bytes} (413 beyond, before a
 * larger body is buffered) and handled on worker threads. Its requests are never traced: an export
 * must not make spans of its own (docs/RATIONALE.md, self-tracing).
 */
@Singleton
public class ZipkinReceiver {

  static final String SPANS_PATH = "/api/v2/spans";
  private static final Logger LOG = Logger.getLogger(ZipkinReceiver.class);
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final IngestService ingest;
  private final CollectorConfig config;
  private volatile HttpServer server;

  ZipkinReceiver(Vertx vertx, IngestService ingest, CollectorConfig config) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.config = config;
  }

  void start(@Observes StartupEvent event)
      throws ExecutionException, InterruptedException, TimeoutException {
    CollectorConfig.Zipkin zipkin = config.zipkin();
    if (!zipkin.enabled()) {
      return;
    }
    int maxRequestBytes = config.ingest().maxRequestBytes();
    Router router = Router.router(vertx);
    router
        .post(SPANS_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes))
        .blockingHandler(
            new ZipkinSpansHandler(ingest, maxRequestBytes, config.kafka().retryAfterSeconds()),
            false);
    router.errorHandler(
        413,
        context ->
            ZipkinSpansHandler.respond(
                context, 413, "request body exceeds the limit of " + maxRequestBytes + " bytes"));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(zipkin.host())
            .setPort(zipkin.port())
            .setDecompressionSupported(false) // BoundedGzip decompresses, within the limit
            .setTracingPolicy(TracingPolicy.IGNORE);
    server =
        vertx
            .createHttpServer(options)
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    LOG.infof("Zipkin v2 receiver listening on %s:%d%s", zipkin.host(), port(), SPANS_PATH);
  }

  void stop(@Observes ShutdownEvent event) {
    HttpServer running = server;
    if (running != null) {
      running.close();
    }
  }

  /** The port bound (the configured one, or the one picked for 0); -1 when disabled. */
  public int port() {
    HttpServer running = server;
    return running == null ? -1 : running.actualPort();
  }
}
