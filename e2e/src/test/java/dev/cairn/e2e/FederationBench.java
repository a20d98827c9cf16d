package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What federation costs a query: latency through region a federated with b, against a alone ({@code
 * cairn-federation: local}) on the same two processes, the kinds interleaved in every round,
 * medians over {@code cairn.bench.runs} rounds (default 31) after a warm-up. Not a test (no {@code
 * Test}/{@code IT}/{@code E2E} suffix): {@code bench/federation.sh} runs it. Properties: {@code
 * cairn.bench.runs}, {@code cairn.bench.traces} (per region, default 500, five spans each), {@code
 * cairn.bench.out} (a file for the figures).
 */
class FederationBench {

  private static final long MS = 1_000_000L;

  @Test
  void federatedAgainstLocalLatency() throws Exception {
    int runs = Integer.getInteger("cairn.bench.runs", 31);
    int traces = Integer.getInteger("cairn.bench.traces", 500);
    try (TwoRegions regions = new TwoRegions()) {
      long now = Instant.now().minusSeconds(120).toEpochMilli() * MS;
      List<TraceId> inA = fill(regions.storeA, traces, now);
      List<TraceId> inB = fill(regions.storeB, traces, now - 500 * MS);
      regions.start("2s");
      ServiceProcess a = regions.a();
      String search =
          "/api/v1/traces?limit=20&start="
              + URLEncoder.encode(
                  Instant.now().minusSeconds(3600).toString(), StandardCharsets.UTF_8);

      Map<String, Kind> kinds = new LinkedHashMap<>();
      kinds.put("search, a alone", new Kind(search, true));
      kinds.put("search, a + b", new Kind(search, false));
      kinds.put("trace in a, a alone", new Kind("/api/v1/traces/" + inA.get(7).toHex(), true));
      kinds.put("trace in a, a + b", new Kind("/api/v1/traces/" + inA.get(7).toHex(), false));
      kinds.put("trace in b, through a", new Kind("/api/v1/traces/" + inB.get(7).toHex(), false));
      Map<String, long[]> took = new LinkedHashMap<>();
      kinds.keySet().forEach(k -> took.put(k, new long[runs]));

      for (int warmUp = 0; warmUp < 30; warmUp++) {
        for (Kind kind : kinds.values()) {
          kind.call(a);
        }
      }
      for (int run = 0; run < runs; run++) {
        for (Map.Entry<String, Kind> kind : kinds.entrySet()) {
          took.get(kind.getKey())[run] = kind.getValue().call(a);
        }
      }

      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              "%d traces (5 spans) per region, %d rounds; load average %s%n",
              traces, runs, Files.readString(Path.of("/proc/loadavg")).trim()));
      double localSearch = median(took.get("search, a alone"));
      double localTrace = median(took.get("trace in a, a alone"));
      for (Map.Entry<String, long[]> kind : took.entrySet()) {
        double median = median(kind.getValue());
        double base = kind.getKey().startsWith("search") ? localSearch : localTrace;
        out.append(
            String.format(
                "%-24s median %6.2f ms  p90 %6.2f ms  ×%.2f of a alone%n",
                kind.getKey(),
                median / 1e6,
                percentile(kind.getValue(), 0.9) / 1e6,
                median / base));
      }
      System.out.print(out);
      String file = System.getProperty("cairn.bench.out");
      if (file != null) {
        Files.writeString(Path.of(file), out.toString());
      }
    }
  }

  private record Kind(String pathAndQuery, boolean local) {
    /** Nanoseconds until the whole answer is read; it must be a 200. */
    long call(ServiceProcess region) throws IOException, InterruptedException {
      HttpRequest.Builder request = TwoRegions.request(region, pathAndQuery);
      if (local) {
        request.header("cairn-federation", "local");
      }
      long start = System.nanoTime();
      HttpResponse<byte[]> response =
          TwoRegions.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      long took = System.nanoTime() - start;
      assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
      return took;
    }
  }

  private static List<TraceId> fill(dev.cairn.store.pg.PgSpanWriter store, int traces, long now) {
    List<TraceId> ids = new ArrayList<>(traces);
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      ids.add(id);
      batch.addAll(SpanFixtures.threeServiceTrace(id, now - i * 1000 * MS));
    }
    TwoRegions.write(store, batch.toArray(Span[]::new));
    return ids;
  }

  private static double median(long[] values) {
    return percentile(values, 0.5);
  }

  private static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
