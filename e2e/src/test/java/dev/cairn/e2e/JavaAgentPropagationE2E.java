package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.operator.webhook.AgentInjector;
import dev.cairn.operator.webhook.AgentSettings;
import dev.cairn.operator.webhook.InjectionLabels;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.zjsonpatch.JsonPatch;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9's context propagation with no code change: two Java services ({@link PropagationDemo})
 * run with the OpenTelemetry Java agent and exactly the environment the operator's webhook gives a
 * pod labelled {@code cairn.dev/instrument: java}, read from the JSON patch {@link AgentInjector}
 * computes (the downward-API values filled in as the kubelet would, the agent jar where the
 * webhook's init container would have copied it, and the endpoint's port that of the Cairn agent
 * standing in for the sidecar). A calls B over HTTP and publishes to Kafka; B's consumer handles
 * the record. Through the Cairn agent and the pipeline, query-svc returns the HTTP hop as one trace
 * (B's server span a child of A's client span) and B's processing of the record parented to A's
 * producer span.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaAgentPropagationE2E {

  private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the e2e build copies io.opentelemetry.javaagent:opentelemetry-javaagent. */
  private static final Path AGENT_JAR =
      ServiceProcess.repositoryRoot().resolve("e2e/target/javaagent/opentelemetry-javaagent.jar");

  private Pipeline pipeline;
  private QueryClient query;
  private AgentProcess sidecar;
  private final List<Process> services = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    pipeline = Pipeline.start();
    query = new QueryClient(pipeline);
    sidecar = pipeline.startAgent("javaagent", Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    for (Process service : services) {
      service.destroyForcibly();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void theHttpHopIsOneTraceAndTheConsumerIsParentedToItsProducer() throws Exception {
    assertThat(AGENT_JAR).as("copied by the e2e build").exists();
    String serviceA = "shop-" + pipeline.runId;
    String serviceB = "stock-" + pipeline.runId;
    String topic = "e2e-" + pipeline.runId + ".orders";
    createTopic(topic);
    int port = Pipeline.freePort();
    Path logs = ServiceProcess.repositoryRoot().resolve("e2e/target/service-logs");
    Files.createDirectories(logs);
    Path logB = logs.resolve("javaagent-b-" + pipeline.runId + ".log");
    Path logA = logs.resolve("javaagent-a-" + pipeline.runId + ".log");

    Map<String, String> envB = webhookEnvironment(serviceB);
    assertThat(envB)
        .as("what the webhook sets")
        .containsKeys(
            "JAVA_TOOL_OPTIONS",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_PROPAGATORS",
            "OTEL_SERVICE_NAME")
        .containsEntry("OTEL_SERVICE_NAME", serviceB)
        // the agent takes traces only; without these the SDK would export metrics and logs to it
        .containsEntry("OTEL_METRICS_EXPORTER", "none")
        .containsEntry("OTEL_LOGS_EXPORTER", "none");
    Process b = launch(envB, logB, "b", String.valueOf(port), topic, Pipeline.KAFKA);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !b.isAlive() || Files.readString(logB).contains("READY"));
    assertThat(b.isAlive()).as(Files.readString(logB)).isTrue();
    Process a =
        launch(
            webhookEnvironment(serviceA),
            logA,
            "a",
            "http://127.0.0.1:" + port,
            topic,
            Pipeline.KAFKA);
    assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(a.exitValue()).as(Files.readString(logA)).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(logB).contains("KAFKA "));
    b.destroy(); // the agent exports what it holds on the way out
    assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // The HTTP hop: B received A's client span as its parent, and both are stored in one trace.
    String[] http = traceparent(logB, "HTTP ");
    TracesData httpTrace = query.awaitTrace(http[0], 2, STORED_WITHIN);
    Span client = span(httpTrace, http[1]);
    assertThat(serviceOf(httpTrace, client)).isEqualTo(serviceA);
    assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(spans(httpTrace))
        .as("B's server span, a child of A's client span")
        .anySatisfy(
            s -> {
              assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
              assertThat(hex(s.getParentSpanId().toByteArray())).isEqualTo(http[1]);
              assertThat(serviceOf(httpTrace, s)).isEqualTo(serviceB);
            });

    // The Kafka hop: B's processing of the record is parented (or linked) to A's producer span.
    String[] kafka = traceparent(logB, "KAFKA ");
    TracesData kafkaTrace = query.awaitTrace(kafka[0], 2, STORED_WITHIN);
    Span producer = span(kafkaTrace, kafka[1]);
    assertThat(serviceOf(kafkaTrace, producer)).isEqualTo(serviceA);
    assertThat(producer.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
    assertThat(spans(kafkaTrace))
        .as("B's consumer span, parented or linked to A's producer span")
        .anySatisfy(
            s -> {
              assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
              assertThat(serviceOf(kafkaTrace, s)).isEqualTo(serviceB);
              boolean linked =
                  s.getLinksList().stream()
                      .anyMatch(l -> hex(l.getSpanId().toByteArray()).equals(kafka[1]));
              assertThat(hex(s.getParentSpanId().toByteArray()).equals(kafka[1]) || linked)
                  .isTrue();
            });
  }

  /**
   * The app container's environment after the webhook's patch of a pod labelled for injection and
   * Java instrumentation, resolved as the kubelet would: downward-API fields given values, {@code
   * $(VAR)} references expanded; then the two places where this machine is not a pod: the agent
   * jar's path in the shared volume, and the sidecar's port.
   */
  private Map<String, String> webhookEnvironment(String service) throws Exception {
    JsonNode pod =
        JSON.readTree(
            """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "%s-7d9f8-x2k4q", "namespace": "shop",
               "labels": {"%s": "true", "%s": "java", "app.kubernetes.io/name": "%s"}},
             "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "app:1"}]}}
            """
                .formatted(
                    service, InjectionLabels.INJECT_AGENT, InjectionLabels.INSTRUMENT, service));
    AgentSettings settings =
        new AgentSettings(
            "e2e",
            "cairn/collector-svc:e2e",
            "IfNotPresent",
            new ResourceRequirements(),
            48L << 20,
            1.0,
            "127.0.0.1:" + pipeline.otlpGrpcPort,
            "cairn/opentelemetry-javaagent:e2e",
            List.of("shop"));
    JsonNode patch = AgentInjector.decide(pod, Map.of(), Optional.of(settings), true).patch().get();
    Pod injected = JSON.treeToValue(JsonPatch.apply(patch, pod), Pod.class);
    Map<String, String> fields =
        Map.of(
            "metadata.name", injected.getMetadata().getName(),
            "metadata.namespace", injected.getMetadata().getNamespace(),
            "spec.nodeName", injected.getSpec().getNodeName());
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : injected.getSpec().getContainers().get(0).getEnv()) {
      String value =
          var.getValueFrom() != null
              ? fields.get(var.getValueFrom().getFieldRef().getFieldPath())
              : expand(var.getValue(), env);
      env.put(var.getName(), value);
    }
    env.computeIfPresent(
        "JAVA_TOOL_OPTIONS",
        (k, v) -> v.replace(InjectionLabels.JAVA_AGENT_JAR, AGENT_JAR.toString()));
    env.computeIfPresent(
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        (k, v) -> v.replaceFirst("^http://localhost:\\d+$", sidecar.otlpGrpcEndpoint()));
    assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo(sidecar.otlpGrpcEndpoint());
    return env;
  }

  /** Kubernetes' {@code $(VAR)} expansion against the variables defined before. */
  private static String expand(String value, Map<String, String> before) {
    Matcher reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    StringBuilder out = new StringBuilder();
    while (reference.find()) {
      String name = reference.group(1);
      reference.appendReplacement(
          out, Matcher.quoteReplacement(before.getOrDefault(name, reference.group())));
    }
    reference.appendTail(out);
    return out.toString();
  }

  private Process launch(Map<String, String> env, Path log, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-cp",
                System.getProperty("java.class.path"),
                PropagationDemo.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    Process process = builder.start();
    services.add(process);
    return process;
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Pipeline.KAFKA))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** Trace id and parent span id (hex) of the first {@code prefix} line's traceparent. */
  private static String[] traceparent(Path log, String prefix) throws Exception {
    String line =
        Files.readAllLines(log).stream()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow();
    String[] parts = line.substring(prefix.length()).strip().split("-");
    assertThat(parts).as("a W3C traceparent: %s", line).hasSize(4);
    return new String[] {parts[1], parts[2]};
  }

  private static List<Span> spans(TracesData trace) {
    return trace.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .toList();
  }

  private static Span span(TracesData trace, String spanIdHex) {
    return spans(trace).stream()
        .filter(s -> hex(s.getSpanId().toByteArray()).equals(spanIdHex))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanIdHex + " in " + trace));
  }

  private static String serviceOf(TracesData trace, Span span) {
    for (ResourceSpans rs : trace.getResourceSpansList()) {
      boolean holds =
          rs.getScopeSpansList().stream().anyMatch(ss -> ss.getSpansList().contains(span));
      if (holds) {
        return rs.getResource().getAttributesList().stream()
            .filter(kv -> kv.getKey().equals("service.name"))
            .map(KeyValue::getValue)
            .map(v -> v.getStringValue())
            .findFirst()
            .orElse(null);
      }
    }
    return null;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
