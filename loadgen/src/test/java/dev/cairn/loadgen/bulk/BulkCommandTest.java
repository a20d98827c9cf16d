package dev.cairn.loadgen.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.cli.LoadgenCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options are checked before any connection is made: these runs have no database to reach. */
class BulkCommandTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new LoadgenCommand());
    command.setOut(new PrintWriter(new StringWriter(), true));
    command.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "bulk";
    all[1] = "--jdbc-url";
    all[2] = "jdbc:postgresql://127.0.0.1:1/nowhere";
    System.arraycopy(args, 0, all, 3, args.length);
    return command.execute(all);
  }

  @Test
  void refusesBadOptionsWithAReason() {
    assertThat(run("--spans", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("totalSpans must be >= 1");
    assertThat(run("--writers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--writers must be >= 1");
    assertThat(run("--skew", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("exponent must be >= 0");
    assertThat(run("--error-ratio", "2")).isEqualTo(2);
    assertThat(run("--window", "soon")).isEqualTo(2);
  }

  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new LoadgenCommand());
    command.setOut(new PrintWriter(out, true));
    assertThat(command.execute("bulk", "--help")).isZero();
    assertThat(out.toString()).contains("--spans", "--window", "--writers", "--manifest", "--seed");
  }
}
