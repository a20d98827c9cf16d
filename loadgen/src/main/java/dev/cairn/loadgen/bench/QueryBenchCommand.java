package dev.cairn.loadgen.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop latency benchmark of query-svc: {@code --concurrency} threads each send one request,
 * wait for the whole answer, and send the next, for {@code --duration} after a {@code --warmup}.
 * Either trace by id (a random id of {@code --ids} per request) or one search ({@code --search}).
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures query-svc latency: GET /api/v1/traces/{id} for random ids of --ids, or one search"
          + " GET /api/v1/traces?<--search>, closed loop with --concurrency threads.",
      "Prints p50/p90/p99/max (HdrHistogram) and a `RESULT {json}` line."
    })
public final class QueryBenchCommand implements Callable<Integer> {

  private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{32}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin QueryServiceUrl queryService;

  @CommandLine.Mixin ClosedLoop loop;

  @Option(
      names = "--ids",
      paramLabel = "FILE",
      description =
          "Trace ids, one per line (first tab-separated column; other lines skipped), e.g."
              + " `psql -Atc 'select trace_id ...'` output or loadgen's --trace-ids-out file.")
  Path ids;

  @Option(
      names = "--search",
      paramLabel = "QUERY_STRING",
      description = "Search parameters, e.g. service=svc-003&tag=http.method:GET&limit=20.")
  String search;

  @Option(
      names = "--concurrency",
      defaultValue = "4",
      description = "Client threads. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if ((ids == null) == (search == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give exactly one of --ids or --search");
    }
    List<String> traceIds = ids != null ? readIds(ids) : List.of();
    if (ids != null && traceIds.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no trace ids in " + ids);
    }
    String base = queryService.base();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      workers.add(new Worker(client, base, traceIds, new SplittableRandom()));
    }
    double seconds = loop.run(workers, "query-bench");
    Histogram all = new Histogram(3);
    Map<String, Long> statuses = new TreeMap<>();
    long bytes = 0;
    long results = -1;
    for (Worker worker : workers) {
      synchronized (worker) {
        all.add(worker.latency);
        worker.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        bytes += worker.bytes;
        if (results < 0) {
          results = worker.firstResultCount;
        }
      }
    }
    long ok = statuses.getOrDefault("200", 0L);
    String what = ids != null ? "trace by id (" + traceIds.size() + " ids)" : "search " + search;
    out.printf(
        "%n=== cairn-loadgen query: %s, %d thread(s), %.1f s ===%n", what, concurrency, seconds);
    out.printf(
        "requests  %d (%.1f/s), by status %s, avg body %d bytes%s%n",
        all.getTotalCount(),
        all.getTotalCount() / seconds,
        statuses,
        all.getTotalCount() == 0 ? 0 : bytes / all.getTotalCount(),
        search != null ? ", first page traces " + results : "");
    out.printf("latency   %s%n", LatencyStats.human(all));
    out.printf(
        "RESULT {\"label\":%s,\"mode\":%s,\"concurrency\":%d,\"seconds\":%.3f,\"requests\":%d,"
            + "\"ok\":%d,\"perSecond\":%.1f,\"firstPageTraces\":%d,\"latencyMs\":%s}%n",
        quote(loop.label),
        quote(ids != null ? "trace" : "search"),
        concurrency,
        seconds,
        all.getTotalCount(),
        ok,
        all.getTotalCount() / seconds,
        results,
        LatencyStats.json(all));
    out.flush();
    return ok > 0 && ok == all.getTotalCount() ? 0 : 1;
  }

  static List<String> readIds(Path file) throws IOException {
    List<String> result = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String first = line.strip().split("[\t |,]", 2)[0].replace("-", "").toLowerCase();
      if (HEX_ID.matcher(first).matches()) {
        result.add(first);
      }
    }
    return result;
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** One closed-loop client; its numbers are read under its monitor after it stopped. */
  private final class Worker implements Runnable {
    private final HttpClient client;
    private final String base;
    private final List<String> traceIds;
    private final SplittableRandom random;
    final Histogram latency = new Histogram(60_000_000L, 3);
    final Map<String, Long> statuses = new TreeMap<>();
    long bytes;
    long firstResultCount = -1;

    Worker(HttpClient client, String base, List<String> traceIds, SplittableRandom random) {
      this.client = client;
      this.base = base;
      this.traceIds = traceIds;
      this.random = random;
    }

    @Override
    public void run() {
      while (!loop.stopped()) {
        URI uri =
            URI.create(
                traceIds.isEmpty()
                    ? base + "/api/v1/traces?" + search
                    : base + "/api/v1/traces/" + traceIds.get(random.nextInt(traceIds.size())));
        HttpRequest request =
            HttpRequest.newBuilder(uri).timeout(ClosedLoop.REQUEST_TIMEOUT).GET().build();
        boolean counted = loop.measuring();
        long t0 = System.nanoTime();
        String status;
        String body = "";
        try {
          HttpResponse<String> response =
              client.send(request, HttpResponse.BodyHandlers.ofString());
          status = Integer.toString(response.statusCode());
          body = response.body();
        } catch (IOException e) {
          status = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long micros = (System.nanoTime() - t0) / 1000;
        synchronized (this) {
          // Every request started in the window counts, however long it takes: a search slower
          // than the window would otherwise leave nothing to report.
          if (counted) {
            latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
            statuses.merge(status, 1L, Long::sum);
            bytes += body.length();
          }
          if (firstResultCount < 0 && traceIds.isEmpty() && "200".equals(status)) {
            firstResultCount = countOccurrences(body, "\"traceId\"");
          }
        }
      }
    }
  }

  private static long countOccurrences(String text, String needle) {
    long n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
