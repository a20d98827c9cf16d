package dev.cairn.loadgen.bench;

import dev.cairn.loadgen.cli.DurationConverter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Export-to-queryable delay: follows the trace-id log a running {@code cairn-loadgen
 * --trace-ids-out} writes, and polls {@code GET /api/v1/traces/{id}} for each new trace until it
 * returns all of the trace's spans. The delay is the time of that poll minus the time the export
 * request was acknowledged (and, separately, minus the time it was sent); its resolution is the
 * poll interval.
 */
@Command(
    name = "queryable",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Follows a --trace-ids-out file while cairn-loadgen writes it and polls query-svc for each"
          + " trace until all its spans are returned; prints the export-to-queryable delay"
          + " p50/p90/p99/max and a `RESULT {json}` line.",
      "Stops when the file got no new line for --idle and no trace is pending."
    })
public final class QueryableCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin QueryServiceUrl queryService;

  @Option(
      names = "--ids",
      required = true,
      paramLabel = "FILE",
      description = "The --trace-ids-out file of a loadgen run (may not exist yet).")
  Path ids;

  @Option(
      names = "--poll-interval",
      defaultValue = "50ms",
      converter = DurationConverter.class,
      description =
          "Shortest time between polls of a pending trace (a trace pending longer than 20 x this"
              + " is polled every 1/20 of its age). Default: ${DEFAULT-VALUE}.")
  Duration pollInterval;

  @Option(
      names = "--give-up",
      defaultValue = "120s",
      converter = DurationConverter.class,
      description =
          "A trace not complete this long after its ack counts as missing. Default: ${DEFAULT-VALUE}.")
  Duration giveUp;

  @Option(
      names = "--idle",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "Stop after no new line for this long (and none pending). Default: ${DEFAULT-VALUE}.")
  Duration idle;

  @Option(
      names = "--skip-first",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Ignore traces acknowledged in the first TIME after the first one (warm-up). Default: ${DEFAULT-VALUE}.")
  Duration skipFirst;

  /** A trace being polled. */
  private static final class Pending {
    final String id;
    final int spans;
    final long sentMicros;
    final long ackedMicros;
    long nextPollMicros;

    Pending(String id, int spans, long sentMicros, long ackedMicros) {
      this.id = id;
      this.spans = spans;
      this.sentMicros = sentMicros;
      this.ackedMicros = ackedMicros;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = queryService.base();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Histogram fromAck = new Histogram(3_600_000_000L, 3);
    Histogram fromSend = new Histogram(3_600_000_000L, 3);
    List<Pending> pending = new ArrayList<>();
    long missing = 0;
    long skipped = 0;
    long polls = 0;
    long firstAck = -1;
    LineFollower lines = new LineFollower(ids);
    long lastLineNanos = System.nanoTime();
    long lastProgress = System.nanoTime();
    while (true) {
      for (String line : lines.newLines()) {
        lastLineNanos = System.nanoTime();
        String[] f = line.split("\t");
        if (f.length < 8 || f[0].equals("trace_id") || !f[7].equals("0")) {
          continue; // header, or a request with rejected spans: not all spans will be stored
        }
        Pending p =
            new Pending(f[0], Integer.parseInt(f[1]), Long.parseLong(f[5]), Long.parseLong(f[6]));
        if (firstAck < 0) {
          firstAck = p.ackedMicros;
        }
        if (p.ackedMicros - firstAck < skipFirst.toNanos() / 1000) {
          skipped++;
          continue;
        }
        pending.add(p);
      }
      if (pending.isEmpty()) {
        if (System.nanoTime() - lastLineNanos > idle.toNanos()) {
          break;
        }
      } else {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<Pending> due = new ArrayList<>();
        long startMicros = nowMicros();
        for (Pending p : pending) {
          if (p.nextPollMicros > startMicros) {
            continue;
          }
          due.add(p);
          answers.add(
              client.sendAsync(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/traces/" + p.id))
                      .timeout(Duration.ofSeconds(10))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        }
        polls += answers.size();
        Iterator<Pending> it = due.iterator();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
          Pending p = it.next();
          int found = 0;
          try {
            HttpResponse<String> response = answer.join();
            if (response.statusCode() == 200) {
              found = countSpans(response.body());
            }
          } catch (RuntimeException e) {
            err.println("poll failed: " + e);
          }
          long now = nowMicros();
          if (found >= p.spans) {
            fromAck.recordValue(Math.max(0, now - p.ackedMicros));
            fromSend.recordValue(Math.max(0, now - p.sentMicros));
            pending.remove(p);
          } else if (now - p.ackedMicros > giveUp.toNanos() / 1000) {
            missing++;
            pending.remove(p);
          } else {
            // poll a trace that is taking long less often: the error stays within 5 % of its
            // delay, and a backlog of slow traces does not flood query-svc with polls
            p.nextPollMicros =
                now + Math.max(pollInterval.toNanos() / 1000, (now - p.ackedMicros) / 20);
          }
        }
      }
      if (System.nanoTime() - lastProgress > 5_000_000_000L) {
        lastProgress = System.nanoTime();
        err.printf(
            "queryable: %d complete, %d pending, %d missing; from ack %s%n",
            fromAck.getTotalCount(), pending.size(), missing, LatencyStats.human(fromAck));
        err.flush();
      }
      Thread.sleep(pollInterval.toMillis());
    }
    lines.close();
    out.printf("%n=== cairn-loadgen queryable: %s via %s ===%n", ids, base);
    out.printf(
        "traces    complete %d, missing %d (after %s), skipped (warm-up) %d, polls %d%n",
        fromAck.getTotalCount(), missing, giveUp, skipped, polls);
    out.printf("from ack  %s%n", LatencyStats.human(fromAck));
    out.printf("from send %s%n", LatencyStats.human(fromSend));
    out.printf(
        "RESULT {\"complete\":%d,\"missing\":%d,\"pollIntervalMs\":%d,\"fromAckMs\":%s,"
            + "\"fromSendMs\":%s}%n",
        fromAck.getTotalCount(),
        missing,
        pollInterval.toMillis(),
        LatencyStats.json(fromAck),
        LatencyStats.json(fromSend));
    out.flush();
    return fromAck.getTotalCount() > 0 && missing == 0 ? 0 : 1;
  }

  /**
   * Spans in an OTLP JSON trace document: each span has one {@code "spanId"} key; parents are
   * {@code "parentSpanId"}. Links would also carry one, and loadgen generates none.
   */
  static int countSpans(String body) {
    int n = 0;
    for (int i = body.indexOf("\"spanId\""); i >= 0; i = body.indexOf("\"spanId\"", i + 8)) {
      n++;
    }
    return n;
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** Returns the complete lines appended to a file since the last call (a tail -f). */
  private static final class LineFollower implements AutoCloseable {
    private final Path file;
    private InputStream in;
    private final StringBuilder partial = new StringBuilder();
    private final byte[] buffer = new byte[65536];

    LineFollower(Path file) {
      this.file = file;
    }

    List<String> newLines() throws IOException {
      List<String> result = new ArrayList<>();
      if (in == null) {
        if (!file.toFile().exists()) {
          return result;
        }
        in = new FileInputStream(file.toFile());
      }
      int n;
      while ((n = in.read(buffer)) > 0) {
        partial.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      int newline;
      while ((newline = partial.indexOf("\n")) >= 0) {
        result.add(partial.substring(0, newline));
        partial.delete(0, newline + 1);
      }
      return result;
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
