package dev.cairn.loadgen.cli;

import dev.cairn.loadgen.generate.GeneratorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options that shape the simulated fleet ({@link GeneratorConfig}), shared by the commands that
 * generate traces. A command mixes them in with its own defaults: the fields' initial values are
 * picocli's defaults (no {@code defaultValue} attribute), so {@code cairn-loadgen} and {@code
 * cairn-loadgen bulk} can differ in fleet size while parsing and checking the same options.
 */
public final class FleetOptions {

  @Option(
      names = "--services",
      paramLabel = "N",
      description = "Services in the simulated fleet (svc-000 ...). Default: ${DEFAULT-VALUE}.")
  int services;

  @Option(
      names = "--operations",
      paramLabel = "N",
      description = "Server operations per service. Default: ${DEFAULT-VALUE}.")
  int operations;

  @Option(
      names = "--instances",
      paramLabel = "N",
      description = "Replicas (OTLP resources) per service. Default: ${DEFAULT-VALUE}.")
  int instances;

  @Option(
      names = "--depth",
      paramLabel = "HOPS",
      description = "Longest chain of service hops in a trace. Default: ${DEFAULT-VALUE}.")
  int depth;

  @Option(
      names = "--fanout",
      paramLabel = "N",
      description = "Most downstream calls per server span. Default: ${DEFAULT-VALUE}.")
  int fanout;

  @Option(
      names = "--max-spans-per-trace",
      paramLabel = "N",
      description = "Upper bound on spans per trace. Default: ${DEFAULT-VALUE}.")
  int maxSpansPerTrace;

  @Option(
      names = "--attributes",
      paramLabel = "N",
      description =
          "Attributes per span: semantic ones (http.*, rpc.*, db.*, peer.service) first, then"
              + " mixed-type app.* fillers. Default: ${DEFAULT-VALUE}.")
  int attributes;

  @Option(
      names = "--error-ratio",
      paramLabel = "RATIO",
      description =
          "Share of traces with a failure (error status up to the root, exception event on the"
              + " failing span). Default: ${DEFAULT-VALUE}.")
  double errorRatio;

  /** Options whose defaults are {@code defaults}. */
  public FleetOptions(GeneratorConfig defaults) {
    services = defaults.services();
    operations = defaults.operationsPerService();
    instances = defaults.instancesPerService();
    depth = defaults.depth();
    fanout = defaults.fanout();
    maxSpansPerTrace = defaults.maxSpansPerTrace();
    attributes = defaults.attributesPerSpan();
    errorRatio = defaults.errorRatio();
  }

  /** The parsed fleet; an out-of-range value is a usage error of {@code spec}'s command. */
  public GeneratorConfig config(CommandSpec spec) {
    try {
      return new GeneratorConfig(
          services, operations, instances, depth, fanout, maxSpansPerTrace, attributes, errorRatio);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
