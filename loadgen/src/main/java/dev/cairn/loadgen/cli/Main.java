package dev.cairn.loadgen.cli;

import picocli.CommandLine;

/** Entry point of {@code cairn-loadgen.jar}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadgenCommand()).execute(args));
  }
}
