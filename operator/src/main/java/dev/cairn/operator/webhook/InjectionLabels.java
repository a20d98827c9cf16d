package dev.cairn.operator.webhook;

/** The labels and annotations of agent injection (docs/architecture.md, "Kubernetes"). */
public final class InjectionLabels {
  /** On a pod or its namespace: {@code "true"} opts in, on a pod {@code "false"} opts out. */
  public static final String INJECT_AGENT = "cairn.dev/inject-agent";

  /** On a pod: {@code java} adds the OpenTelemetry Java agent to its JVMs. */
  public static final String INSTRUMENT = "cairn.dev/instrument";

  /** Set on injected pods, with the TracingCluster that injected them. */
  public static final String INJECTED_BY = "cairn.dev/agent-injected-by";

  public static final String AGENT_CONTAINER = "cairn-agent";
  public static final String JAVA_AGENT_INIT_CONTAINER = "cairn-otel-javaagent";
  public static final String JAVA_AGENT_VOLUME = "cairn-otel-javaagent";
  public static final String JAVA_AGENT_DIR = "/otel-javaagent";
  public static final String JAVA_AGENT_JAR = JAVA_AGENT_DIR + "/opentelemetry-javaagent.jar";

  private InjectionLabels() {}
}
