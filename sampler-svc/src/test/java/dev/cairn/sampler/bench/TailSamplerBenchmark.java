package dev.cairn.sampler.bench;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.SamplerEvents;
import dev.cairn.sampler.TailSampler;
import dev.cairn.sampler.Ticker;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.policy.PolicySettings;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Tail sampling's own cost, in one JVM without Kafka (bench/tail-sampler.sh runs it): records as
 * the collector writes them (one per service of a trace, so a trace arrives in several records,
 * interleaved with other traces) through {@link TailSampler} with the default policies (error,
 * latency 5 s, debug, base rate), time moved by hand so that about {@code buffered} spans wait in
 * the buffer, as at a steady rate with a 10 s decision wait. Reports spans per CPU-second of the
 * sampling thread, and heap bytes per buffered span next to the record bytes per span.
 *
 * <p>Args: traces per round (20000), rounds (5), base rate (0.01), buffered spans (200000).
 */
public final class TailSamplerBenchmark {

  private static final String[] SERVICES = {"frontend", "checkout", "cart", "payments", "users"};
  private static final Duration WAIT = Duration.ofSeconds(10);

  private record Input(int trace, byte[] value, int spans) {}

  public static void main(String[] args) throws Exception {
    int traces = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double baseRate = args.length > 2 ? Double.parseDouble(args[2]) : 0.01;
    long buffered = args.length > 3 ? Long.parseLong(args[3]) : 200_000;

    Random random = new Random(42);
    List<Input> records = generate(traces, random);
    long spans = records.stream().mapToLong(Input::spans).sum();
    long bytes = records.stream().mapToLong(r -> r.value().length).sum();
    System.out.printf(
        "input: %d traces, %d records, %d spans, %.0f record bytes per span%n",
        traces, records.size(), spans, (double) bytes / spans);

    heapPerBufferedSpan(records, spans, bytes);

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    // ticks per record so that a decision wait holds about `buffered` spans
    long tickNanos = WAIT.toNanos() / Math.max(1, buffered * records.size() / spans);
    for (int round = 1; round <= rounds; round++) {
      long[] now = {0};
      TailSampler sampler = sampler(baseRate, () -> now[0]);
      long[] published = {0};
      TailSampler.Sink sink =
          (key, decision, values, late, attachment) -> published[0] += values.size();
      long offset = 0;
      long startCpu = cpu.getCurrentThreadCpuTime();
      long startWall = System.nanoTime();
      byte[][] keys = keys(traces, random);
      for (Input record : records) {
        now[0] += tickNanos;
        sampler.accept(0, offset++, keys[record.trace()], record.value(), null, sink);
        if ((offset & 255) == 0) {
          sampler.decideDue(sink);
        }
      }
      now[0] += WAIT.toNanos() * 7; // everything left: at its maximum age
      sampler.decideDue(sink);
      double cpuSeconds = (cpu.getCurrentThreadCpuTime() - startCpu) / 1e9;
      double wallSeconds = (System.nanoTime() - startWall) / 1e9;
      System.out.printf(
          "round %d: %.0f spans per CPU-second (%.0f spans/s wall), %d records published%n",
          round, spans / cpuSeconds, spans / wallSeconds, published[0]);
    }
  }

  /**
   * Buffers a copy of every record (as the consumer hands each poll fresh arrays) without deciding,
   * then measures the live heap that took.
   */
  private static void heapPerBufferedSpan(List<Input> records, long spans, long bytes)
      throws InterruptedException {
    byte[][] keys = keys(records.get(records.size() - 1).trace() + 1, new Random(7));
    long before = usedAfterGc();
    TailSampler sampler = sampler(1.0, () -> 0);
    long offset = 0;
    for (Input record : records) {
      sampler.accept(
          0,
          offset++,
          keys[record.trace()].clone(),
          record.value().clone(),
          null,
          (k, d, v, late, a) -> {});
    }
    long after = usedAfterGc();
    System.out.printf(
        "heap: %d spans buffered (%d traces), %.0f heap bytes per span, %.0f record bytes per span:"
            + " %.2fx%n",
        sampler.bufferedSpans(),
        sampler.bufferedTraces(),
        (double) (after - before) / spans,
        (double) bytes / spans,
        (double) (after - before) / bytes);
    if (sampler.bufferedSpans() != spans) {
      throw new IllegalStateException("not everything was buffered");
    }
    // Values are reused by later rounds; keep the sampler reachable until measured.
    System.out.println("(buffered traces: " + sampler.bufferedTraces() + ")");
  }

  private static TailSampler sampler(double baseRate, Ticker ticker) {
    TailSampler sampler =
        new TailSampler(
            "in",
            new PolicySettings(baseRate, Optional.of(Duration.ofSeconds(5)), Set.of("cairn.debug"))
                .defaultChain(),
            List.of(),
            new AssemblyLimits(
                WAIT, WAIT.multipliedBy(6), 100_000_000, 1L << 40, 100_000, 1L << 40),
            200_000,
            Duration.ofSeconds(60),
            TraceWireCodec.DEFAULT_MAX_RECORD_BYTES,
            ticker,
            SamplerEvents.NONE);
    sampler.assign(0, 0, List.of());
    return sampler;
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static byte[][] keys(int traces, Random random) {
    byte[][] keys = new byte[traces][];
    for (int i = 0; i < traces; i++) {
      keys[i] = new TraceId(random.nextLong(), random.nextLong()).toBytes();
    }
    return keys;
  }

  /**
   * Traces of 5 to 45 spans over the five services (8 attributes a span, an SDK resource each), one
   * record per service; the records of about 20 traces interleave.
   */
  private static List<Input> generate(int traces, Random random) {
    List<List<Input>> perTrace = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      TraceId id = new TraceId(random.nextLong(), random.nextLong());
      int count = 5 + random.nextInt(41);
      SpanId root = SpanFixtures.randomSpanId();
      List<List<Span>> byService = new ArrayList<>();
      for (int s = 0; s < SERVICES.length; s++) {
        byService.add(new ArrayList<>());
      }
      long start = 1_700_000_000_000_000_000L + t * 1_000_000L;
      for (int i = 0; i < count; i++) {
        int service = i == 0 ? 0 : 1 + random.nextInt(SERVICES.length - 1);
        SpanFixtures.SpanBuilder span =
            SpanFixtures.span(id, SERVICES[service], "op-" + random.nextInt(4))
                .kind(i == 0 ? SpanKind.SERVER : SpanKind.CLIENT)
                .start(start + i * 100_000L)
                .end(start + i * 100_000L + 50_000L + random.nextInt(5_000_000))
                .attributes(attributes(random));
        if (i == 0) {
          span.spanId(root);
        } else {
          span.parent(root);
        }
        byService.get(service).add(span.build());
      }
      List<Input> records = new ArrayList<>();
      for (int s = byService.size() - 1; s >= 0; s--) { // children first, the root's service last
        List<Span> spans = byService.get(s);
        if (spans.isEmpty()) {
          continue;
        }
        TracesData data = OtlpSpanMapper.toTracesData(spans);
        for (ResourceSpans rs : data.getResourceSpansList()) {
          byte[] value =
              TraceWireCodec.encode(TracesData.newBuilder().addResourceSpans(rs).build());
          int n = rs.getScopeSpansList().stream().mapToInt(ss -> ss.getSpansCount()).sum();
          records.add(new Input(t, value, n));
        }
      }
      perTrace.add(records);
    }
    List<Input> out = new ArrayList<>();
    int window = 20;
    for (int t = 0; t < traces + window; t++) {
      for (int k = 0; k < window; k++) {
        int trace = t - k;
        if (trace >= 0 && trace < traces && k < perTrace.get(trace).size()) {
          out.add(perTrace.get(trace).get(k));
        }
      }
    }
    return out;
  }

  private static List<Attribute> attributes(Random random) {
    return List.of(
        Attribute.of("http.method", "GET"),
        Attribute.of("http.route", "/api/v1/items/{id}"),
        Attribute.of("http.status_code", 200),
        Attribute.of("net.peer.name", "svc-" + random.nextInt(20) + ".cluster.local"),
        Attribute.of("app.tenant", "tenant-" + random.nextInt(64)),
        Attribute.of("app.items", random.nextInt(100)),
        Attribute.of("thread.name", "worker-" + random.nextInt(16)),
        Attribute.of("db.system", "postgresql"));
  }
}
