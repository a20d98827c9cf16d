package dev.cairn.loadgen.generate;

/**
 * Shape of the generated fleet and its traces.
 *
 * @param services number of services ({@code svc-000} …)
 * @param operationsPerService server operations each service exposes
 * @param instancesPerService replicas per service, each its own OTLP resource
 * @param depth longest chain of service hops in a trace (1 = the root service alone)
 * @param fanout most downstream calls one server span makes
 * @param maxSpansPerTrace hard bound on the spans of one trace
 * @param attributesPerSpan attributes per span: semantic ones first, then mixed-type fillers
 * @param errorRatio fraction of traces that carry a failure (0..1)
 */
public record GeneratorConfig(
    int services,
    int operationsPerService,
    int instancesPerService,
    int depth,
    int fanout,
    int maxSpansPerTrace,
    int attributesPerSpan,
    double errorRatio) {

  public static final int DEFAULT_SERVICES = 20;
  public static final int DEFAULT_OPERATIONS = 4;
  public static final int DEFAULT_INSTANCES = 2;
  public static final int DEFAULT_DEPTH = 4;
  public static final int DEFAULT_FANOUT = 3;
  public static final int DEFAULT_MAX_SPANS = 50;
  public static final int DEFAULT_ATTRIBUTES = 8;
  public static final double DEFAULT_ERROR_RATIO = 0.01;

  public GeneratorConfig {
    requireAtLeast("services", services, 1);
    requireAtLeast("operationsPerService", operationsPerService, 1);
    requireAtLeast("instancesPerService", instancesPerService, 1);
    requireAtLeast("depth", depth, 1);
    requireAtLeast("fanout", fanout, 0);
    requireAtLeast("maxSpansPerTrace", maxSpansPerTrace, 1);
    requireAtLeast("attributesPerSpan", attributesPerSpan, 0);
    if (!(errorRatio >= 0 && errorRatio <= 1)) {
      throw new IllegalArgumentException("errorRatio must be within [0, 1]: " + errorRatio);
    }
  }

  public static GeneratorConfig defaults() {
    return new GeneratorConfig(
        DEFAULT_SERVICES,
        DEFAULT_OPERATIONS,
        DEFAULT_INSTANCES,
        DEFAULT_DEPTH,
        DEFAULT_FANOUT,
        DEFAULT_MAX_SPANS,
        DEFAULT_ATTRIBUTES,
        DEFAULT_ERROR_RATIO);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
    }
  }
}
