package dev.cairn.loadgen.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same question through several query surfaces, interleaved: each client asks it of every
 * surface in turn (one round), starting each round at the next surface, so that noise on a shared
 * machine, and whatever the first request of a round leaves in PostgreSQL's cache, falls on all of
 * them alike. Per surface: HdrHistogram percentiles, and their ratio to the first surface.
 */
@Command(
    name = "surfaces",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures the same trace by id (a random id of --ids per round) or the same search (REST's"
          + " parameters, translated) through /api/v1, /api/v1 view, GraphQL and the Jaeger API,"
          + " round-robin per request, closed loop with --concurrency threads.",
      "Prints p50/p99/max per surface, the ratio to the first of --surfaces, and a"
          + " `RESULT {json}` line."
    })
public final class SurfacesBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin QueryServiceUrl queryService;

  @CommandLine.Mixin ClosedLoop loop;

  @Option(
      names = "--ids",
      paramLabel = "FILE",
      description = "Trace ids, one per line (as for `query --ids`).")
  Path ids;

  @Option(
      names = "--search",
      paramLabel = "QUERY_STRING",
      description =
          "A search in REST's parameters, start/end in unix nanoseconds, e.g."
              + " service=svc-003&tag=http.method:GET&start=...&end=...&limit=20.")
  String search;

  @Option(
      names = "--surfaces",
      split = ",",
      defaultValue = "rest,graphql,jaeger",
      description =
          "rest, rest-view and graphql-lean (trace by id only), graphql, jaeger; ratios are to"
              + " the first."
              + " Default: ${DEFAULT-VALUE}.")
  List<String> surfaces;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Client threads. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if ((ids == null) == (search == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give exactly one of --ids or --search");
    }
    List<Surface> chosen = new ArrayList<>();
    for (String s : surfaces) {
      try {
        chosen.add(Surface.ofLabel(s));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "unknown surface " + s);
      }
    }
    if (search != null && chosen.stream().anyMatch(s -> !s.searches())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "rest-view and graphql-lean answer trace by id only");
    }
    List<String> traceIds = ids != null ? QueryBenchCommand.readIds(ids) : List.of();
    if (ids != null && traceIds.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no trace ids in " + ids);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      workers.add(
          new Worker(client, queryService.base(), chosen, traceIds, new SplittableRandom()));
    }
    double seconds = loop.run(workers, "surfaces-bench");
    Map<Surface, Tally> totals = new EnumMap<>(Surface.class);
    chosen.forEach(s -> totals.put(s, new Tally()));
    for (Worker worker : workers) {
      synchronized (worker) {
        worker.tallies.forEach((s, t) -> totals.get(s).add(t));
      }
    }
    print(out, chosen, totals, traceIds.size(), seconds);
    boolean allOk = totals.values().stream().allMatch(t -> t.ok() > 0 && t.ok() == t.requests());
    return allOk ? 0 : 1;
  }

  private void print(
      PrintWriter out, List<Surface> chosen, Map<Surface, Tally> totals, int idCount, double s) {
    String what = ids != null ? "trace by id (" + idCount + " ids)" : "search " + search;
    out.printf(
        "%n=== cairn-loadgen surfaces: %s, %d thread(s), %.1f s, round-robin ===%n",
        what, concurrency, s);
    Tally first = totals.get(chosen.get(0));
    out.printf(
        "%-12s %8s %-22s %10s %7s %9s %9s %9s %8s %8s%n",
        "surface",
        "requests",
        "statuses",
        "avg_bytes",
        "results",
        "p50_ms",
        "p99_ms",
        "max_ms",
        "p50/1st",
        "p99/1st");
    StringJoiner json = new StringJoiner(",", "{", "}");
    for (Surface surface : chosen) {
      Tally t = totals.get(surface);
      out.printf(
          Locale.ROOT,
          "%-12s %8d %-22s %10d %7d %9.2f %9.2f %9.2f %8.2f %8.2f%n",
          surface.label(),
          t.requests(),
          t.statuses,
          t.requests() == 0 ? 0 : t.bytes / t.requests(),
          t.results,
          ms(t.latency, 50),
          ms(t.latency, 99),
          t.latency.getMaxValue() / 1000.0,
          ratio(ms(t.latency, 50), ms(first.latency, 50)),
          ratio(ms(t.latency, 99), ms(first.latency, 99)));
      json.add(
          Surface.quote(surface.label())
              + String.format(
                  Locale.ROOT,
                  ":{\"requests\":%d,\"ok\":%d,\"avgBytes\":%d,\"results\":%d,\"latencyMs\":%s}",
                  t.requests(),
                  t.ok(),
                  t.requests() == 0 ? 0 : t.bytes / t.requests(),
                  t.results,
                  LatencyStats.json(t.latency)));
    }
    out.printf(
        Locale.ROOT,
        "RESULT {\"label\":%s,\"mode\":%s,\"concurrency\":%d,\"seconds\":%.3f,\"surfaces\":%s}%n",
        Surface.quote(loop.label),
        Surface.quote(ids != null ? "trace" : "search"),
        concurrency,
        s,
        json);
    out.flush();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  /**
   * Traces in an answer: REST's and GraphQL's search pages name each {@code traceId} once per
   * trace; a Jaeger trace carries one {@code processes} map. -1 for a trace by id.
   */
  static long results(Surface surface, boolean searching, String body) {
    if (!searching) {
      return -1;
    }
    String needle = surface == Surface.JAEGER ? "\"processes\"" : "\"traceId\"";
    long n = 0;
    for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /**
   * The status a request counts under: the HTTP status, or {@code graphql-error} for a GraphQL
   * answer that carries errors (GraphQL answers them with 200).
   */
  static String status(Surface surface, int httpStatus, String body) {
    if ((surface == Surface.GRAPHQL || surface == Surface.GRAPHQL_LEAN)
        && httpStatus == 200
        && body.contains("\"errors\":[{")) {
      return "graphql-error";
    }
    return Integer.toString(httpStatus);
  }

  /** What one surface saw. */
  private static final class Tally {
    final Histogram latency = new Histogram(60_000_000L, 3);
    final Map<String, Long> statuses = new TreeMap<>();
    long bytes;
    long results = -1;

    long requests() {
      return latency.getTotalCount();
    }

    long ok() {
      return statuses.getOrDefault("200", 0L);
    }

    void add(Tally other) {
      latency.add(other.latency);
      other.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
      bytes += other.bytes;
      if (results < 0) {
        results = other.results;
      }
    }
  }

  /** One closed-loop client; its tallies are read under its monitor after it stopped. */
  private final class Worker implements Runnable {
    private final HttpClient client;
    private final String base;
    private final List<Surface> order;
    private final List<String> traceIds;
    private final SplittableRandom random;
    final Map<Surface, Tally> tallies = new EnumMap<>(Surface.class);

    Worker(
        HttpClient client,
        String base,
        List<Surface> order,
        List<String> traceIds,
        SplittableRandom random) {
      this.client = client;
      this.base = base;
      this.order = order;
      this.traceIds = traceIds;
      this.random = random;
      order.forEach(s -> tallies.put(s, new Tally()));
    }

    @Override
    public void run() {
      for (long round = 0; !loop.stopped(); round++) {
        String traceId = traceIds.isEmpty() ? null : traceIds.get(random.nextInt(traceIds.size()));
        for (int i = 0; i < order.size() && !loop.stopped(); i++) {
          Surface surface = order.get((int) ((round + i) % order.size()));
          HttpRequest request =
              (traceId != null ? surface.trace(base, traceId) : surface.search(base, search))
                  .timeout(ClosedLoop.REQUEST_TIMEOUT)
                  .build();
          if (!send(surface, request)) {
            return;
          }
        }
      }
    }

    /** Sends one request and tallies it; false when interrupted. */
    private boolean send(Surface surface, HttpRequest request) {
      boolean counted = loop.measuring();
      long t0 = System.nanoTime();
      String status;
      String body = "";
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        body = response.body();
        status = status(surface, response.statusCode(), body);
      } catch (IOException e) {
        status = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      long micros = (System.nanoTime() - t0) / 1000;
      synchronized (this) {
        Tally t = tallies.get(surface);
        // Every request started in the window counts, however long it takes.
        if (counted) {
          t.latency.recordValue(Math.min(micros, t.latency.getHighestTrackableValue()));
          t.statuses.merge(status, 1L, Long::sum);
          t.bytes += body.length();
        }
        if (t.results < 0 && "200".equals(status)) {
          t.results = results(surface, traceIds.isEmpty(), body);
        }
      }
      return true;
    }
  }
}
