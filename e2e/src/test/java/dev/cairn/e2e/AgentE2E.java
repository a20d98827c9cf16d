package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.cairn.e2e.StoredTraces.Rows;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent role of collector-svc, as the per-pod sidecar: applications export to an agent process,
 * the agent forwards to the pipeline's collector (the gateway), and what it forwarded is stored.
 * Each agent is started with its Kafka address pointing nowhere: an agent needs no Kafka, not even
 * to be ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentE2E {

  private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
  private static final int SPANS_PER_TRACE = 5;
  private static final Duration OUTAGE = Duration.ofSeconds(60);

  /** Steady export before the outage, and after it before the application stops. */
  private static final Duration OUTAGE_MARGIN = Duration.ofSeconds(5);

  private Pipeline pipeline;
  private QueryClient query;
  private Blackhole blackhole;

  @BeforeAll
  void start() throws Exception {
    blackhole = new Blackhole();
    pipeline = Pipeline.start();
    query = new QueryClient(pipeline);
  }

  @AfterAll
  void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (blackhole != null) {
      blackhole.close();
    }
  }

  @Test
  void spansTheSdkSendsToAnAgentAreStoredWithThePodTheAgentRunsBeside() throws Exception {
    AgentProcess agent =
        pipeline.startAgent(
            "pod",
            Map.of(
                "cairn.collector.agent.resource.pod-name", "checkout-7d9f",
                "cairn.collector.agent.resource.namespace", "shop",
                "cairn.collector.agent.resource.node-name", "node-3"));
    assertThat(agent.readinessBody()).contains("\"agent\"").doesNotContain("kafka");

    List<String> traces = export(agent, "pod-" + pipeline.runId, 1, 1);

    TracesData stored = query.awaitTrace(traces.get(0), SPANS_PER_TRACE, STORED_WITHIN);
    ResourceSpans resource = stored.getResourceSpans(0);
    Map<String, String> attributes =
        resource.getResource().getAttributesList().stream()
            .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    assertThat(attributes)
        .containsEntry("service.name", "pod-" + pipeline.runId)
        .containsEntry("k8s.pod.name", "checkout-7d9f")
        .containsEntry("k8s.namespace.name", "shop")
        .containsEntry("k8s.node.name", "node-3");
  }

  /**
   * "An agent whose gateways are all down for 60 s loses nothing that fits its buffer, and the
   * application's export latency stays flat meanwhile." An application (the SDK with its batch
   * processor, as an app runs it) exports steadily through the agent for about 75 s; for 60 s of
   * that, every gateway is down: one is a blackhole (accepts connections, never answers: every
   * export to it times out), the other the pipeline's collector, killed and then restarted. Flat
   * latency is asserted without a clock: every one of the SDK's exports succeeded (none failed or
   * timed out), the SDK dropped no span, and the agent answered for spans it could not forward (all
   * of what it answered during the outage was still held when it ended). The latencies measured
   * before, during and after the outage go to the test log.
   */
  @Test
  void withEveryGatewayDownForAMinuteNothingThatFitsIsLostAndTheApplicationsExportsStayFlat()
      throws Exception {
    AgentProcess agent =
        pipeline.startAgent(
            "outage",
            Map.of(
                "cairn.collector.agent.gateways",
                blackhole.address() + ",127.0.0.1:" + pipeline.otlpGrpcPort,
                "cairn.collector.agent.export.timeout",
                "2s"));
    TimedExporter exporter =
        new TimedExporter(
            OtlpGrpcSpanExporter.builder()
                .setEndpoint(agent.otlpGrpcEndpoint())
                .setTimeout(Duration.ofSeconds(10))
                .build());
    SteadyApplication app = new SteadyApplication("outage-" + pipeline.runId, exporter);

    Thread.sleep(OUTAGE_MARGIN.toMillis());
    pipeline.collector.kill();
    exporter.phase("outage");
    // The blackhole is found out by its export deadline; from then on nothing can leave.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.metric("cairn_collector_agent_gateways", "state=\"healthy\"") == 0);
    double sentWhenDown = agent.metric("cairn_collector_agent_spans_sent_total");
    long answeredWhenDown = exporter.succeededSpans();
    Thread.sleep(OUTAGE.toMillis() - OUTAGE_MARGIN.toMillis());
    double sentAtEnd = agent.metric("cairn_collector_agent_spans_sent_total");
    double heldAtEnd = agent.metric("cairn_collector_agent_queue_spans");
    long answeredDuringOutage = exporter.succeededSpans() - answeredWhenDown;
    pipeline.collector.restart();
    exporter.phase("after");
    Thread.sleep(OUTAGE_MARGIN.toMillis());
    List<String> traces = app.stop();

    System.out.println("[AgentE2E] SDK export latency through the agent, gateways down 60 s:");
    exporter.latencies().forEach(line -> System.out.println("[AgentE2E]   " + line));
    System.out.printf(
        "[AgentE2E] agent during the outage: answered for %d spans, sent %.0f, held %.0f at its"
            + " end%n",
        answeredDuringOutage, sentAtEnd - sentWhenDown, heldAtEnd);

    assertThat(exporter.failures()).as("SDK exports that failed or timed out").isZero();
    assertThat(exporter.succeededSpans())
        .as("the SDK's queue dropped nothing: every span it ended was exported")
        .isEqualTo(app.endedSpans());
    assertThat(answeredDuringOutage).as("the application kept exporting").isPositive();
    assertThat(sentAtEnd).as("nothing could be forwarded while down").isEqualTo(sentWhenDown);
    assertThat(heldAtEnd)
        .as("the agent answered before forwarding: it held what it answered for")
        .isGreaterThanOrEqualTo(answeredDuringOutage);

    await()
        .atMost(STORED_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> complete(StoredTraces.rows(traces), SPANS_PER_TRACE) == traces.size());
    Map<String, Rows> rows = StoredTraces.rows(traces);
    assertThat(rows.values())
        .as("every span stored exactly once")
        .allSatisfy(r -> assertThat(r.rows()).isEqualTo(SPANS_PER_TRACE))
        .allSatisfy(r -> assertThat(r.distinctSpans()).isEqualTo(SPANS_PER_TRACE));
    assertThat(agent.metric("cairn_collector_agent_spans_sent_total"))
        .isEqualTo((double) app.endedSpans());
    for (String reason : List.of("queue_full", "expired", "refused", "rejected_by_gateway")) {
      assertThat(agent.metric("cairn_collector_agent_spans_dropped_total", "\"" + reason + "\""))
          .as(reason)
          .isZero();
    }
    assertThat(
            agent.metric(
                "cairn_collector_agent_exports_total",
                "gateway=\"" + blackhole.address() + "\"",
                "outcome=\"retryable\""))
        .as("exports to the blackhole timed out")
        .isPositive();
  }

  /** "A full buffer drops and counts, never blocks": every export still succeeds. */
  @Test
  void aFullQueueDropsTheNewestAndCountsThemWhileEveryExportSucceeds() throws Exception {
    AgentProcess agent =
        pipeline.startAgent(
            "full",
            Map.of(
                "cairn.collector.agent.gateways", blackhole.address(),
                "cairn.collector.agent.queue.max-bytes", "16384",
                "cairn.collector.agent.export.timeout", "2s"));

    export(agent, "full-" + pipeline.runId, 200, 50);

    double held = agent.metric("cairn_collector_agent_queue_spans");
    double dropped = agent.metric("cairn_collector_agent_spans_dropped_total", "\"queue_full\"");
    assertThat(held).isPositive();
    assertThat(dropped).isPositive();
    assertThat(held + dropped).isEqualTo(200 * SPANS_PER_TRACE);
    assertThat(agent.metric("cairn_collector_agent_queue_bytes")).isBetween(1.0, 16384.0);
    assertThat(agent.metric("cairn_collector_spans_rejected_total", "\"queue_full\""))
        .as("the application was told")
        .isEqualTo(dropped);
  }

  /**
   * "End to end with two agents (two services in separate processes, W3C propagation between them)
   * at 10 % head sampling: every stored trace has all its spans." The traces kept are exactly those
   * {@link ConsistentSampler} keeps at 10 %, computed here from the ids the frontend printed, so
   * the count cannot flake.
   */
  @Test
  void twoServicesBehindTwoAgentsAtTenPercentStoreExactlyTheSampledTracesWhole() throws Exception {
    Map<String, String> tenPercent = Map.of("cairn.collector.agent.sampling.probability", "0.1");
    AgentProcess frontendAgent = pipeline.startAgent("frontend", tenPercent);
    AgentProcess backendAgent = pipeline.startAgent("backend", tenPercent);
    int requests = 200;
    int backendPort = Pipeline.freePort();
    Path logs = ServiceProcess.repositoryRoot().resolve("e2e/target/service-logs");
    Path backendLog = logs.resolve("demo-backend-" + pipeline.runId + ".log");
    Path frontendLog = logs.resolve("demo-frontend-" + pipeline.runId + ".log");

    Process backend =
        demo(
            backendLog,
            "backend",
            "stock-" + pipeline.runId,
            backendAgent.otlpGrpcEndpoint(),
            String.valueOf(backendPort));
    List<String> traces;
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(backendLog).contains("READY"));
      Process frontend =
          demo(
              frontendLog,
              "frontend",
              "shop-" + pipeline.runId,
              frontendAgent.otlpGrpcEndpoint(),
              "http://127.0.0.1:" + backendPort,
              String.valueOf(requests));
      assertThat(frontend.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(frontend.exitValue()).as(Files.readString(frontendLog)).isZero();
      traces =
          Files.readAllLines(frontendLog).stream()
              .filter(line -> line.startsWith("TRACE "))
              .map(line -> line.substring(6).strip())
              .toList();
    } finally {
      backend.destroy(); // flushes its spans on the way out
      backend.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(traces).hasSize(requests).doesNotHaveDuplicates();

    ConsistentSampler tenPercentSampler = ConsistentSampler.withProbability(0.1);
    Set<String> expected =
        traces.stream()
            .filter(id -> tenPercentSampler.keeps(TraceId.fromHex(id), ""))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    assertThat(expected).isNotEmpty();

    await()
        .atMost(STORED_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> complete(StoredTraces.rows(expected), 4) == expected.size());
    // Exactly the sampled traces, each with both services' two spans, and nothing else.
    Map<String, Rows> stored = StoredTraces.rows(traces);
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(stored.values()).allSatisfy(r -> assertThat(r.distinctSpans()).isEqualTo(4));
    for (AgentProcess agent : List.of(frontendAgent, backendAgent)) {
      assertThat(agent.metric("cairn_collector_agent_spans_dropped_total", "\"head_sampling\""))
          .isEqualTo(2.0 * (requests - expected.size()));
    }

    TracesData one = query.awaitTrace(expected.iterator().next(), 4, STORED_WITHIN);
    Set<String> services = new LinkedHashSet<>();
    for (ResourceSpans resource : one.getResourceSpansList()) {
      resource.getResource().getAttributesList().stream()
          .filter(kv -> kv.getKey().equals("service.name"))
          .forEach(kv -> services.add(kv.getValue().getStringValue()));
      resource.getScopeSpansList().stream()
          .flatMap(scope -> scope.getSpansList().stream())
          .forEach(
              span ->
                  assertThat(ConsistentSampler.adjustedCount(span.getTraceState()))
                      .as("adjusted count carried downstream")
                      .isCloseTo(10.0, within(1e-9)));
    }
    assertThat(services)
        .containsExactlyInAnyOrder("shop-" + pipeline.runId, "stock-" + pipeline.runId);
  }

  // --- helpers ---------------------------------------------------------------------------

  private static long complete(Map<String, Rows> rows, int spans) {
    return rows.values().stream().filter(r -> r.distinctSpans() >= spans).count();
  }

  /**
   * Makes {@code traces} traces of {@link #SPANS_PER_TRACE} spans with the SDK and exports them to
   * the agent with the SDK's OTLP/gRPC exporter, {@code batch} spans per export, asserting that
   * every export succeeded.
   *
   * @return the trace ids, hex
   */
  private List<String> export(AgentProcess agent, String service, int traces, int batch) {
    SdkSpans sink = new SdkSpans();
    SdkTracerProvider provider = sink.recordingProvider(service);
    Tracer tracer = provider.get("dev.cairn.e2e.agent");
    List<String> ids = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      Span root =
          tracer.spanBuilder("GET /cart").setNoParent().setSpanKind(SpanKind.SERVER).startSpan();
      for (int s = 1; s < SPANS_PER_TRACE; s++) {
        tracer
            .spanBuilder("step " + s)
            .setParent(Context.root().with(root))
            .setAttribute("step", (long) s)
            .startSpan()
            .end();
      }
      root.end();
      ids.add(root.getSpanContext().getTraceId());
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
    List<SpanData> recorded = sink.exported();

    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(agent.otlpGrpcEndpoint())
            .setTimeout(Duration.ofSeconds(10))
            .build();
    try {
      for (int from = 0; from < recorded.size(); from += batch) {
        CompletableResultCode result =
            exporter.export(recorded.subList(from, Math.min(recorded.size(), from + batch)));
        result.join(20, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as("export %d to the agent", from / batch).isTrue();
      }
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
    return ids;
  }

  private static Process demo(Path log, String... args) throws IOException {
    return new ProcessBuilder(DemoService.command(args))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
  }

  /**
   * An application exporting steadily through the SDK's batch span processor: a trace of {@link
   * #SPANS_PER_TRACE} spans every 50 ms (100 spans/s), from its start until {@link #stop()}.
   */
  private static final class SteadyApplication {
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final List<String> traces = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

    SteadyApplication(String service, SpanExporter exporter) {
      provider =
          SdkTracerProvider.builder()
              .setResource(SdkSpans.serviceResource(service))
              .addSpanProcessor(
                  BatchSpanProcessor.builder(exporter)
                      .setScheduleDelay(Duration.ofMillis(200))
                      .build())
              .build();
      tracer = provider.get("dev.cairn.e2e.agent");
      clock.scheduleAtFixedRate(this::request, 0, 50, TimeUnit.MILLISECONDS);
    }

    private void request() {
      Span root =
          tracer.spanBuilder("GET /cart").setNoParent().setSpanKind(SpanKind.SERVER).startSpan();
      for (int s = 1; s < SPANS_PER_TRACE; s++) {
        tracer.spanBuilder("step " + s).setParent(Context.root().with(root)).startSpan().end();
      }
      root.end();
      traces.add(root.getSpanContext().getTraceId());
    }

    long endedSpans() {
      return (long) traces.size() * SPANS_PER_TRACE;
    }

    /** Stops making requests, flushes what the SDK holds and returns the trace ids, hex. */
    List<String> stop() throws InterruptedException {
      clock.shutdown();
      assertThat(clock.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      provider.shutdown().join(30, TimeUnit.SECONDS);
      return List.copyOf(traces);
    }
  }

  /**
   * The application's exporter, timed: each export's outcome and latency, by the phase it started
   * in ("before", "outage", "after").
   */
  private static final class TimedExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final Map<String, List<Long>> nanosByPhase = new ConcurrentHashMap<>();
    private final AtomicLong succeededSpans = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String phase = "before";

    TimedExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    void phase(String phase) {
      this.phase = phase;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      long started = System.nanoTime();
      List<Long> latencies = nanosByPhase.computeIfAbsent(phase, p -> new CopyOnWriteArrayList<>());
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(
          () -> {
            latencies.add(System.nanoTime() - started);
            if (result.isSuccess()) {
              succeededSpans.addAndGet(spans.size());
            } else {
              failures.incrementAndGet();
            }
          });
      return result;
    }

    long succeededSpans() {
      return succeededSpans.get();
    }

    long failures() {
      return failures.get();
    }

    /** One line per phase: exports, p50, p99 and max latency in ms. */
    List<String> latencies() {
      List<String> lines = new ArrayList<>();
      for (String p : List.of("before", "outage", "after")) {
        List<Long> sorted = new ArrayList<>(nanosByPhase.getOrDefault(p, List.of()));
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
          continue;
        }
        lines.add(
            String.format(
                "%-6s exports=%d p50=%.2f ms p99=%.2f ms max=%.2f ms",
                p,
                sorted.size(),
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6));
      }
      return lines;
    }

    private static double percentile(List<Long> sorted, double q) {
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
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

  /** A TCP listener that accepts connections and never answers: a gateway hung for good. */
  private static final class Blackhole implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Blackhole() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    held.add(socket.accept());
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "blackhole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
