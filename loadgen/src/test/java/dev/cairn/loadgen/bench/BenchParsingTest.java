package dev.cairn.loadgen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchParsingTest {

  @Test
  void countsSpansButNotParentSpanIds() {
    String body =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"a\",\"spanId\":\"1\"},"
            + "{\"traceId\":\"a\",\"spanId\":\"2\",\"parentSpanId\":\"1\"}]}]},"
            + "{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"3\",\"parentSpanId\":\"2\"}]}]}]}";

    assertThat(QueryableCommand.countSpans(body)).isEqualTo(3);
    assertThat(QueryableCommand.countSpans("{\"type\":\"about:blank\",\"status\":404}")).isZero();
  }

  @Test
  void readsIdsFromPsqlOutputAndTraceIdLogs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ids.txt");
    Files.writeString(
        file,
        "trace_id\tspans\n"
            + "0af7651916cd43dd8448eb211c80319c\t12\tsvc-001\n"
            + "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736\n"
            + "not-an-id\n"
            + "\n");

    assertThat(QueryBenchCommand.readIds(file))
        .containsExactly("0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736");
  }
}
