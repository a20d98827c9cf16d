package dev.cairn.collector.agent;

import dev.cairn.collector.OtlpFixtures;
import dev.cairn.collector.ingest.IngestLimits;
import dev.cairn.collector.ingest.IngestMetrics;
import dev.cairn.collector.ingest.IngestResult;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.ResourceEnricher;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.ingest.Transport;
import dev.cairn.kafka.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's own time per export request, without the network: {@link IngestService} in agent role
 * (validate, enrich, head-sample, serialize, queue) on the caller's thread, as the gRPC and HTTP
 * receivers call it, paced at a fixed rate of spans/s, with a thread draining the queue as the
 * senders would. Prints p50/p90/p99/max per request and the CPU and bytes allocated per span on the
 * calling thread. Not a test (run by {@code bench/agent.sh}).
 *
 * <p>Arguments: spans/s (10,000), seconds (30), spans per request (512), head-sampling probability
 * (1.0).
 */
public final class AgentEnqueueBenchmark {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AgentEnqueueBenchmark() {}

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    double probability = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ForwardQueue queue = new ForwardQueue(48L << 20, System::nanoTime);
    GatewayPool pool =
        new GatewayPool(
            () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), System::nanoTime);
    IngestService agent =
        new IngestService(
            new SpanSanitizer(IngestLimits.DEFAULTS),
            new ResourceEnricher(Map.of(ResourceEnricher.K8S_POD_NAME, "checkout-7d9f"), Map.of()),
            new QueuedOutbound(
                new HeadSampler(probability), queue, new AgentMetrics(registry, queue, pool)),
            new IngestMetrics(registry));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread drain =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  ExportBatch taken = queue.take(2 << 20, Duration.ofMillis(100));
                  if (taken != null) {
                    queue.release(taken);
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    drain.start();

    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      requests.add(request(batch));
    }
    System.out.printf(
        "%d spans per request, %d bytes each; %.0f spans/s for %d s; probability %s; java %s%n",
        batch, requests.get(0).getSerializedSize(), rate, seconds, probability, Runtime.version());

    // Warm-up: a third of the run, unmeasured.
    run(agent, requests, rate, Math.max(5, seconds / 3), batch);
    long thread = Thread.currentThread().getId();
    long cpu0 = THREADS.getThreadCpuTime(thread);
    long alloc0 = THREADS.getThreadAllocatedBytes(thread);
    long[] nanos = run(agent, requests, rate, seconds, batch);
    long cpu = THREADS.getThreadCpuTime(thread) - cpu0;
    long allocated = THREADS.getThreadAllocatedBytes(thread) - alloc0;
    running.set(false);
    drain.join();

    Arrays.sort(nanos);
    long spans = (long) nanos.length * batch;
    System.out.printf(
        "requests %d: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms;"
            + " %.2f us CPU and %d bytes allocated per span on the calling thread%n",
        nanos.length,
        ms(nanos, 0.50),
        ms(nanos, 0.90),
        ms(nanos, 0.99),
        nanos[nanos.length - 1] / 1e6,
        cpu / 1e3 / spans,
        allocated / spans);
  }

  private static long[] run(
      IngestService agent,
      List<ExportTraceServiceRequest> requests,
      double rate,
      int seconds,
      int batch)
      throws Exception {
    int count = (int) Math.ceil(rate * seconds / batch);
    long interval = (long) (TimeUnit.SECONDS.toNanos(1) * batch / rate);
    long[] nanos = new long[count];
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      next += interval;
      long start = System.nanoTime();
      IngestResult result =
          agent
              .ingest(requests.get(i % requests.size()), Transport.GRPC)
              .toCompletableFuture()
              .getNow(null);
      nanos[i] = System.nanoTime() - start;
      if (result == null || result.rejectedSpans() > 0) {
        throw new IllegalStateException("not answered at once, or rejected: " + result);
      }
    }
    return nanos;
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** A request like an SDK's batch: one resource, spans of 8 attributes each, new ids. */
  private static ExportTraceServiceRequest request(int spans) {
    List<Span> list = new ArrayList<>(spans);
    for (int i = 0; i < spans; i++) {
      Span.Builder span =
          OtlpFixtures.span(OtlpFixtures.randomTraceId(), "GET /api/v1/items/{id}")
              .setParentSpanId(OtlpFixtures.randomSpanId())
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(OtlpFixtures.attribute("http.request.method", "GET"))
              .addAttributes(OtlpFixtures.attribute("server.address", "inventory.shop.svc"))
              .addAttributes(OtlpFixtures.attribute("url.path", "/api/v1/items/" + i))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("http.response.status_code")
                      .setValue(AnyValue.newBuilder().setIntValue(200)))
              .addAttributes(OtlpFixtures.attribute("network.protocol.version", "1.1"))
              .addAttributes(OtlpFixtures.attribute("app.tenant", "tenant-" + (i % 17)))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("app.items")
                      .setValue(AnyValue.newBuilder().setIntValue(i % 9)));
      list.add(span.build());
    }
    return OtlpFixtures.request(OtlpFixtures.resourceSpans("checkout", list));
  }
}
