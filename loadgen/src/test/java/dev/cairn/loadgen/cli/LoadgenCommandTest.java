package dev.cairn.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.testing.GrpcTestServer;
import dev.cairn.loadgen.testing.HttpTestServer;
import dev.cairn.loadgen.testing.ScriptedReceiver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class LoadgenCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new LoadgenCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  private long result(String field) {
    Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(resultLine());
    assertThat(matcher.find()).as("RESULT has %s", field).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private String resultLine() {
    return out.toString()
        .lines()
        .filter(l -> l.startsWith("RESULT {"))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void grpcRunPrintsSummaryAndResultMatchingTheReceiver(@TempDir Path dir) throws Exception {
    ScriptedReceiver receiver = new ScriptedReceiver(0);
    Path ids = dir.resolve("ids.tsv");
    try (GrpcTestServer server = new GrpcTestServer(receiver)) {
      int exit =
          run(
              "--endpoint",
              server.target(),
              "--protocol",
              "grpc",
              "--connections",
              "2",
              "--spans",
              "5000",
              "--batch-size",
              "256",
              "--services",
              "8",
              "--progress",
              "200ms",
              "--seed",
              "42",
              "--trace-ids-out",
              ids.toString(),
              "--trace-ids-sample",
              "0.5");
      assertThat(exit).as(err.toString()).isZero();
    }
    assertThat(result("spansAccepted")).isEqualTo(receiver.accepted.get()).isPositive();
    assertThat(result("spansRejected")).isEqualTo(receiver.rejected.get()).isPositive();
    assertThat(result("spansFailed")).isZero();
    assertThat(result("spansSent")).isBetween(5000L, 5000L + 2 * 256);
    assertThat(resultLine()).contains("\"latencyMs\":{\"p50\":", "\"failuresByStatus\":{}");
    assertThat(out.toString()).contains("spans     sent", "p99");
    assertThat(err.toString()).contains("sent ", "accepted");

    List<String> lines = Files.readAllLines(ids);
    assertThat(lines.get(0)).startsWith("trace_id\tspans");
    assertThat(lines).hasSizeGreaterThan(10);
    for (String line : lines.subList(1, lines.size())) {
      String[] columns = line.split("\t");
      assertThat(columns).hasSize(8);
      assertThat(columns[0]).matches("[0-9a-f]{32}");
      assertThat(Long.parseLong(columns[6])).isGreaterThanOrEqualTo(Long.parseLong(columns[5]));
    }
    long known =
        lines.stream()
            .skip(1)
            .map(l -> l.split("\t")[0])
            .filter(receiver.acceptedTraceIds::contains)
            .count();
    assertThat(known)
        .as("logged traces reached the receiver")
        .isGreaterThan((lines.size() - 1) * 9L / 10);
  }

  @Test
  void httpRunReportsFailuresByStatus() throws Exception {
    ScriptedReceiver receiver = new ScriptedReceiver(3);
    try (HttpTestServer server = new HttpTestServer(receiver)) {
      int exit =
          run(
              "--endpoint",
              server.endpoint(),
              "--protocol",
              "http",
              "--connections",
              "1",
              "--duration",
              "60s",
              "--spans",
              "3000",
              "--progress",
              "0",
              "--compression",
              "gzip");
      assertThat(exit).as(err.toString()).isZero();
    }
    assertThat(result("failedRequests")).isEqualTo(receiver.failedRequests.get()).isPositive();
    assertThat(resultLine()).contains("\"HTTP_503\":" + receiver.failedRequests.get());
    assertThat(result("spansFailed")).isEqualTo(receiver.spansInFailedRequests.get());
  }

  @Test
  void rateLimitsTheRun() throws Exception {
    ScriptedReceiver receiver = new ScriptedReceiver(0);
    try (GrpcTestServer server = new GrpcTestServer(receiver)) {
      run(
          "--endpoint",
          server.target(),
          "--duration",
          "2s",
          "--rate",
          "2000",
          "--batch-size",
          "100",
          "--connections",
          "2",
          "--progress",
          "0");
    }
    // 2 s at 2,000 spans/s, plus at most one batch per connection of slack; unthrottled it sends
    // tens of thousands. The lower bound is loose: on a busy machine the start-up eats time.
    assertThat(result("spansSent")).isBetween(500L, 4_400L);
  }

  @Test
  void helpDocumentsEveryOption() {
    assertThat(run("--help")).isZero();
    CommandLine command = new CommandLine(new LoadgenCommand());
    for (OptionSpec option : command.getCommandSpec().options()) {
      assertThat(out.toString()).contains(option.longestName());
      assertThat(option.description()).as(option.longestName()).isNotEmpty();
    }
  }

  @Test
  void badOptionsAreRejectedWithExitCode2() {
    assertThat(run("--connections", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--connections must be >= 1");
    assertThat(run("--error-ratio", "1.5")).isEqualTo(2);
    assertThat(run("--duration", "soon")).isEqualTo(2);
  }
}
