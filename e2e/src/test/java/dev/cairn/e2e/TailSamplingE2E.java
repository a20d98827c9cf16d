package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.e2e.StoredTraces.Rows;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.store.pg.StoredSpans;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tail sampling over the whole pipeline at a 1 % base rate (decision wait 1 s): errors and slow
 * traces are all stored, whole, with extended retention, the rest exactly as the consistent sampler
 * keeps them by trace id; a late span joins its trace; a sampler killed mid-window and restarted,
 * and a second sampler replica joining and leaving mid-stream, lose no trace, split none, and
 * publish no span twice (read from the sampled topic itself: storage would hide a duplicate).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TailSamplingE2E {

  private static final double BASE_RATE = 0.01;
  private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final ConsistentSampler baseRate = ConsistentSampler.withProbability(BASE_RATE);

  /** The low 64 bits (the sampling randomness) repeat between runs, the high ones do not. */
  private final Random lowBits = new Random(2026);

  private final long runBits = SpanFixtures.randomTraceId().high();
  private Pipeline pipeline;

  @BeforeAll
  void startPipeline() throws Exception {
    pipeline =
        Pipeline.startWithSampler(
            Map.of(
                "cairn.sampler.base-rate",
                String.valueOf(BASE_RATE),
                "cairn.sampler.latency-threshold",
                "1s"));
  }

  @AfterAll
  void stopPipeline() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void errorsAndSlowTracesAreAllStoredWholeAndExtendedTheRestAtTheBaseRate() throws Exception {
    Map<TraceId, List<Span>> errors = new LinkedHashMap<>();
    Map<TraceId, List<Span>> slow = new LinkedHashMap<>();
    Map<TraceId, List<Span>> normal = new LinkedHashMap<>();
    long start = nowNanos() - TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < 40; i++) {
      TraceId id = nextId();
      errors.put(id, SpanFixtures.threeServiceTrace(id, start));
      TraceId slowId = nextId();
      slow.put(slowId, quick(slowId, start, 2_000, false));
    }
    for (int i = 0; i < 2_000; i++) {
      TraceId id = nextId();
      normal.put(id, quick(id, start, 30, false));
    }
    List<List<Span>> all = new ArrayList<>();
    all.addAll(errors.values());
    all.addAll(slow.values());
    all.addAll(normal.values());
    for (int i = 0; i < all.size(); i += 50) {
      post(all.subList(i, Math.min(all.size(), i + 50)).stream().flatMap(List::stream).toList());
    }

    Map<TraceId, List<Span>> expected = new LinkedHashMap<>(errors);
    expected.putAll(slow);
    normal.forEach(
        (id, spans) -> {
          if (baseRate.keeps(id, "")) {
            expected.put(id, spans);
          }
        });
    awaitMetric(pipeline.sampler, "cairn_sampler_traces_decided_total", all.size());
    long expectedSpans = expected.values().stream().mapToLong(List::size).sum();
    assertThat(metric(pipeline.sampler, "cairn_sampler_spans_kept_total"))
        .as("the sampler kept exactly the expected spans")
        .isEqualTo(expectedSpans);
    awaitStoredWhole(expected);

    Map<String, long[]> byTable =
        rowsByRetention(ids(errors.keySet(), slow.keySet(), normal.keySet()));
    for (TraceId id : errors.keySet()) {
      assertThat(byTable.get(id.toHex()))
          .as("error trace %s: standard, extended rows", id)
          .containsExactly(0, SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    }
    for (TraceId id : slow.keySet()) {
      assertThat(byTable.get(id.toHex())).as("slow trace %s", id).containsExactly(0, 3);
    }
    long keptNormal = 0;
    for (TraceId id : normal.keySet()) {
      if (expected.containsKey(id)) {
        keptNormal++;
        assertThat(byTable.get(id.toHex())).as("kept normal trace %s", id).containsExactly(3, 0);
      } else {
        assertThat(byTable).as("dropped trace %s", id).doesNotContainKey(id.toHex());
      }
    }
    // 1 % of 2,000 (the ids' low bits are the same every run: no flakiness)
    assertThat(keptNormal).isBetween(8L, 35L);
  }

  @Test
  @Order(2)
  void aLateSpanJoinsItsStoredTraceAndOneOfADroppedTraceStaysOut() throws Exception {
    long start = nowNanos() - TimeUnit.SECONDS.toNanos(10);
    TraceId kept = nextId();
    List<Span> keptSpans = quick(kept, start, 30, true); // kept for the error of its root
    TraceId dropped = nextDroppedId();
    List<Span> droppedSpans = quick(dropped, start, 30, false);
    double decidedBefore = metric(pipeline.sampler, "cairn_sampler_traces_decided_total");

    post(concat(keptSpans.subList(0, 2), droppedSpans.subList(0, 2)));
    awaitMetric(pipeline.sampler, "cairn_sampler_traces_decided_total", decidedBefore + 2);
    awaitStoredWhole(Map.of(kept, keptSpans.subList(0, 2)));

    double lateBefore =
        metric(pipeline.sampler, "cairn_sampler_late_spans_kept_total")
            + metric(pipeline.sampler, "cairn_sampler_late_spans_dropped_total");
    post(concat(keptSpans.subList(2, 3), droppedSpans.subList(2, 3)));
    awaitStoredWhole(Map.of(kept, keptSpans));
    awaitMetric(pipeline.sampler, "cairn_sampler_late_spans_dropped_total", 1);
    assertThat(
            metric(pipeline.sampler, "cairn_sampler_late_spans_kept_total")
                + metric(pipeline.sampler, "cairn_sampler_late_spans_dropped_total"))
        .isEqualTo(lateBefore + 2);

    Map<String, long[]> byTable = rowsByRetention(List.of(kept.toHex(), dropped.toHex()));
    assertThat(byTable.get(kept.toHex())).as("all in extended retention").containsExactly(0, 3);
    assertThat(byTable).doesNotContainKey(dropped.toHex());
  }

  @Test
  @Order(3)
  void aSamplerKilledMidWindowAndRestartedLosesNoTraceAndPublishesNoSpanTwice() throws Exception {
    Stream stream = new Stream();
    CompletableFuture<Void> crash =
        CompletableFuture.runAsync(
            () -> {
              sleep(3_000);
              try {
                pipeline.sampler.kill();
                sleep(1_000);
                pipeline.sampler.restart();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
              sleep(2_000);
            });
    stream.sendUntil(crash);
    crash.join();

    stream.assertDecidedOnceEach();
  }

  @Test
  @Order(4)
  void twoReplicasWithARebalanceInTheMiddleSplitNoTrace() throws Exception {
    Stream stream = new Stream();
    CompletableFuture<ServiceProcess> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                ServiceProcess replica = pipeline.startSamplerReplica();
                // it took partitions over while the stream runs
                awaitMetric(replica, "cairn_sampler_traces_decided_total", 1);
                return replica;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    stream.sendUntil(second);
    ServiceProcess replica = second.join();
    CompletableFuture<Void> leave =
        CompletableFuture.runAsync(
            () -> {
              try {
                replica.close(); // leaving: a second rebalance, its partitions go back
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              sleep(2_000);
            });
    stream.sendUntil(leave);
    leave.join();

    stream.assertDecidedOnceEach();
  }

  /**
   * Traces whose three records arrive apart (two children, then the root, 0.6 s later) and
   * interleave, a new one every 40 ms: while a sampler's state is lost or handed over, some traces
   * are decided and published, others half buffered. A third are errors (the error on the root, so
   * that a fragment decided alone would be dropped), the rest at the base rate.
   */
  private final class Stream {
    final Map<TraceId, List<Span>> traces = new LinkedHashMap<>();
    final Set<TraceId> errors = new HashSet<>();
    private final long start = nowNanos() - TimeUnit.SECONDS.toNanos(10);

    /** Starts a trace every 40 ms until {@code fault} is over, then sends what is left of them. */
    void sendUntil(CompletableFuture<?> fault) throws Exception {
      record Send(long atMillis, Span span) {}
      PriorityQueue<Send> pending = new PriorityQueue<>(Comparator.comparingLong(Send::atMillis));
      long t0 = System.nanoTime();
      long nextTrace = 0;
      while (!pending.isEmpty() || !fault.isDone()) {
        long now = (System.nanoTime() - t0) / 1_000_000;
        if (!fault.isDone() && now >= nextTrace) {
          TraceId id = nextId();
          boolean error = traces.size() % 3 == 0;
          List<Span> spans = quick(id, start, 30, error);
          traces.put(id, spans);
          if (error) {
            errors.add(id);
          }
          pending.add(new Send(nextTrace, spans.get(1)));
          pending.add(new Send(nextTrace + 300, spans.get(2)));
          pending.add(new Send(nextTrace + 600, spans.get(0))); // the root
          nextTrace += 40;
        } else if (!pending.isEmpty() && pending.peek().atMillis() <= now) {
          post(List.of(pending.poll().span()));
        } else {
          Thread.sleep(5);
        }
      }
    }

    void assertDecidedOnceEach() throws Exception {
      Map<TraceId, List<Span>> expected = new LinkedHashMap<>();
      traces.forEach(
          (id, spans) -> {
            if (errors.contains(id) || baseRate.keeps(id, "")) {
              expected.put(id, spans);
            }
          });
      awaitStoredWhole(expected);
      Set<String> all = new HashSet<>();
      traces.keySet().forEach(id -> all.add(id.toHex()));
      Map<String, Map<String, Integer>> published =
          SampledTopic.spanCounts(pipeline.sampledTopic(), all);
      List<String> problems = new ArrayList<>();
      traces.forEach(
          (id, spans) -> {
            Map<String, Integer> counts = published.getOrDefault(id.toHex(), Map.of());
            int want = expected.containsKey(id) ? 1 : 0;
            for (Span span : spans) {
              int got = counts.getOrDefault(span.spanId().toHex(), 0);
              if (got != want) {
                problems.add(
                    id + " span " + span.spanId() + ": published " + got + ", want " + want);
              }
            }
          });
      assertThat(problems).as("spans published other than once per kept trace").isEmpty();
      Map<String, Rows> rows = StoredTraces.rows(all);
      traces.forEach(
          (id, spans) -> {
            Rows stored = rows.getOrDefault(id.toHex(), Rows.NONE);
            assertThat(stored.rows())
                .as("rows of %s", id)
                .isEqualTo(expected.containsKey(id) ? spans.size() : 0);
          });
    }
  }

  // --- traces -----------------------------------------------------------------------------------

  private TraceId nextId() {
    return new TraceId(runBits, lowBits.nextLong());
  }

  /** An id the base rate drops. */
  private TraceId nextDroppedId() {
    TraceId id;
    do {
      id = nextId();
    } while (baseRate.keeps(id, ""));
    return id;
  }

  /** A root (the first span) of {@code rootMillis}, failed or not, and two quick children. */
  private static List<Span> quick(TraceId id, long start, long rootMillis, boolean error) {
    SpanId root = SpanFixtures.randomSpanId();
    SpanFixtures.SpanBuilder rootSpan =
        SpanFixtures.span(id, "tail-frontend", "GET /cart")
            .spanId(root)
            .kind(SpanKind.SERVER)
            .start(start)
            .end(start + TimeUnit.MILLISECONDS.toNanos(rootMillis));
    if (error) {
      rootSpan.error("boom");
    }
    List<Span> spans = new ArrayList<>();
    spans.add(rootSpan.build());
    spans.add(
        SpanFixtures.span(id, "tail-cart", "GET /items")
            .parent(root)
            .start(start + 1_000)
            .end(start + 2_000_000)
            .build());
    spans.add(
        SpanFixtures.span(id, "tail-cart", "SELECT items")
            .parent(root)
            .start(start + 2_000)
            .end(start + 3_000_000)
            .build());
    return spans;
  }

  private static List<Span> concat(List<Span> a, List<Span> b) {
    List<Span> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  // --- the pipeline -----------------------------------------------------------------------------

  private void post(List<Span> spans) throws IOException, InterruptedException {
    assertThat(OtlpHttpExport.post(pipeline, spans).getPartialSuccess().getRejectedSpans())
        .isZero();
  }

  /** Sum of a Prometheus counter over all its labels, as the sampler reports it now. */
  private static double metric(ServiceProcess sampler, String name)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sampler.httpPort() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : response.body().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static void awaitMetric(ServiceProcess sampler, String name, double atLeast)
      throws Exception {
    long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
    double value;
    while ((value = metric(sampler, name)) < atLeast) {
      assertThat(System.nanoTime())
          .as("%s reaches %s (is %s)", name, atLeast, value)
          .isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  private static void awaitStoredWhole(Map<TraceId, List<Span>> traces) throws Exception {
    List<String> ids = traces.keySet().stream().map(TraceId::toHex).toList();
    long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
    while (true) {
      Map<String, Rows> rows = StoredTraces.rows(ids);
      List<String> incomplete = new ArrayList<>();
      traces.forEach(
          (id, spans) -> {
            if (rows.getOrDefault(id.toHex(), Rows.NONE).distinctSpans() < spans.size()) {
              incomplete.add(
                  id
                      + " ("
                      + rows.getOrDefault(id.toHex(), Rows.NONE)
                      + " of "
                      + spans.size()
                      + ")");
            }
          });
      if (incomplete.isEmpty()) {
        return;
      }
      assertThat(System.nanoTime())
          .as(
              "traces not stored whole in time (first 10): %s",
              incomplete.subList(0, Math.min(10, incomplete.size())))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  /**
   * Per trace id (hex): spans stored in standard and in extended segments; absent traces omitted.
   */
  private static Map<String, long[]> rowsByRetention(Collection<String> traceIdsHex)
      throws SQLException {
    List<TraceId> ids = traceIdsHex.stream().map(TraceId::fromHex).toList();
    Map<String, long[]> out = new HashMap<>();
    try (Connection connection =
        DriverManager.getConnection(Pipeline.jdbcUrl(), Pipeline.DB_USER, Pipeline.DB_PASSWORD)) {
      String[] tables = {"trace_segments_standard", "trace_segments_extended"};
      for (int retention = 0; retention < tables.length; retention++) {
        for (Span span : StoredSpans.of(connection, tables[retention], ids)) {
          out.computeIfAbsent(span.traceId().toHex(), k -> new long[2])[retention]++;
        }
      }
    }
    return out;
  }

  private static List<String> ids(Collection<TraceId>... sets) {
    List<String> out = new ArrayList<>();
    for (Collection<TraceId> set : sets) {
      set.forEach(id -> out.add(id.toHex()));
    }
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
