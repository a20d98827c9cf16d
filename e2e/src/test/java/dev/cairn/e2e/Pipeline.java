package dev.cairn.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cairn's four services as separate processes over the real Kafka broker and TimescaleDB that
 * {@code scripts/infra.sh} runs, on free ports, with topics and consumer groups of their own, so
 * that a run shares nothing with {@code ./cairn up} or another test run but the database {@code
 * cairn_test} (or {@code CAIRN_E2E_DB}; its traces have ids and service names of their own).
 */
final class Pipeline implements AutoCloseable {

  static final String DB_HOST = env("CAIRN_DB_HOST", "127.0.0.1");
  static final String DB_PORT = env("CAIRN_DB_PORT", "5433");
  static final String DB_USER = env("CAIRN_DB_USER", "cairn");
  static final String DB_PASSWORD = env("CAIRN_DB_PASSWORD", "cairn");
  // bench/faults.sh points a long run at the benchmarks' database instead
  static final String DB_NAME = env("CAIRN_E2E_DB", "cairn_test");
  static final String KAFKA = env("CAIRN_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

  final String runId = UUID.randomUUID().toString().substring(0, 8);
  final String metricsTopic = "e2e-" + runId + ".cairn.metrics";
  final int otlpGrpcPort;
  final int zipkinPort;

  /** Properties every service gets on top of its own. */
  private final Map<String, String> common = new LinkedHashMap<>();

  /** The sampler's own properties, kept for further replicas; tests may add to them. */
  private final Map<String, String> samplerProperties = new LinkedHashMap<>();

  private int samplerReplicas;

  ServiceProcess collector;
  ServiceProcess sampler;
  ServiceProcess storage;
  ServiceProcess query;
  private final List<AgentProcess> agents = new ArrayList<>();

  private Pipeline() throws IOException {
    otlpGrpcPort = freePort();
    zipkinPort = freePort();
  }

  /** Starts storage first, so that the schema is migrated before anything reads it. */
  private void launch() throws IOException, InterruptedException {
    String ingested = ingestedTopic();
    String sampled = sampledTopic();
    storage =
        ServiceProcess.start(
            "storage-svc",
            freePort(),
            withCommon(
                Map.of(
                    "cairn.storage.kafka.topic", sampled,
                    "cairn.storage.kafka.group-id", "e2e-storage-" + runId,
                    "cairn.storage.metrics.topic", metricsTopic,
                    "cairn.storage.metrics.group-id", "e2e-storage-metrics-" + runId,
                    "cairn.storage.kafka.bootstrap-servers", KAFKA,
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + dbAddress(),
                    "quarkus.datasource.username", DB_USER,
                    "quarkus.datasource.password", DB_PASSWORD)));
    sampler = startSamplerReplica();
    query =
        ServiceProcess.start(
            "query-svc",
            freePort(),
            withCommon(
                Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://" + dbAddress(),
                    "quarkus.datasource.username", DB_USER,
                    "quarkus.datasource.password", DB_PASSWORD)));
    Map<String, String> collectorConfig = new LinkedHashMap<>(common);
    collectorConfig.put("cairn.collector.kafka.topic", ingested);
    collectorConfig.put("cairn.collector.kafka.bootstrap-servers", KAFKA);
    collectorConfig.put("quarkus.grpc.server.port", String.valueOf(otlpGrpcPort));
    collectorConfig.put("cairn.collector.zipkin.port", String.valueOf(zipkinPort));
    collector = ServiceProcess.start("collector-svc", freePort(), collectorConfig);
  }

  static Pipeline start() throws IOException, InterruptedException {
    return start(new Pipeline());
  }

  /**
   * A pipeline whose sampler gets these properties on top of the e2e defaults, e.g. {@code
   * cairn.sampler.base-rate}.
   */
  static Pipeline startWithSampler(Map<String, String> samplerOverrides)
      throws IOException, InterruptedException {
    Pipeline pipeline = new Pipeline();
    pipeline.samplerProperties.putAll(samplerOverrides);
    return start(pipeline);
  }

  /**
   * One more sampler process of this pipeline, in the same consumer group as {@link #sampler}: the
   * partitions are shared between them (the caller closes it).
   */
  ServiceProcess startSamplerReplica() throws IOException, InterruptedException {
    Map<String, String> properties = new LinkedHashMap<>(common);
    properties.put("cairn.sampler.ingested-topic", ingestedTopic());
    properties.put("cairn.sampler.sampled-topic", sampledTopic());
    properties.put("cairn.sampler.decision-log-topic", "e2e-" + runId + ".cairn.sampler.decisions");
    properties.put("cairn.sampler.group-id", "e2e-sampler-" + runId);
    properties.put("cairn.sampler.metrics-topic", metricsTopic);
    properties.put("cairn.sampler.kafka.bootstrap-servers", KAFKA);
    // Short waits, so that tests do not wait long for decisions (defaults: 10 s and 60 s).
    properties.put("cairn.sampler.decision-wait", "1s");
    properties.put("cairn.sampler.max-trace-age", "5s");
    properties.put("cairn.sampler.kafka.poll-timeout", "200ms");
    properties.putAll(samplerProperties);
    String logName = samplerReplicas++ == 0 ? "sampler-svc" : "sampler-svc-" + samplerReplicas;
    return ServiceProcess.start("sampler-svc", logName, freePort(), properties);
  }

  String ingestedTopic() {
    return "e2e-" + runId + ".cairn.spans.ingested";
  }

  String sampledTopic() {
    return "e2e-" + runId + ".cairn.spans.sampled";
  }

  /**
   * A pipeline that traces itself into itself: every service's own spans go to this pipeline's
   * collector (Cairn's one self-tracing setting), every request is traced, and spans are exported
   * within a fraction of a second.
   */
  static Pipeline startSelfTraced() throws IOException, InterruptedException {
    Pipeline pipeline = new Pipeline();
    pipeline.common.put("cairn.self-tracing.endpoint", pipeline.otlpGrpcEndpoint());
    pipeline.common.put("quarkus.otel.traces.sampler.arg", "1.0");
    pipeline.common.put("quarkus.otel.bsp.schedule.delay", "200ms");
    return start(pipeline);
  }

  /**
   * A collector in agent role, as a sidecar would run it, forwarding to this pipeline's collector
   * (unless {@code properties} name other gateways), with quick gateway backoffs. Its Kafka address
   * leads nowhere: an agent must not need Kafka, not even to be ready. Closed with the pipeline.
   *
   * @param name names its log, {@code agent-<name>.log}
   */
  AgentProcess startAgent(String name, Map<String, String> properties)
      throws IOException, InterruptedException {
    int grpcPort = freePort();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("cairn.collector.role", "agent");
    config.put("cairn.collector.agent.gateways", "127.0.0.1:" + otlpGrpcPort);
    config.put("cairn.collector.kafka.bootstrap-servers", "127.0.0.1:1");
    config.put("cairn.collector.agent.export.initial-backoff", "100ms");
    config.put("cairn.collector.agent.export.max-backoff", "1s");
    config.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
    config.put("cairn.collector.zipkin.port", "0");
    config.putAll(properties);
    AgentProcess agent =
        new AgentProcess(
            ServiceProcess.start("collector-svc", "agent-" + name, freePort(), config), grpcPort);
    agents.add(agent);
    return agent;
  }

  private static Pipeline start(Pipeline pipeline) throws IOException, InterruptedException {
    try {
      pipeline.launch();
      return pipeline;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  private Map<String, String> withCommon(Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>(common);
    all.putAll(own);
    return all;
  }

  static String jdbcUrl() {
    return "jdbc:postgresql://" + dbAddress();
  }

  private static String dbAddress() {
    return DB_HOST + ":" + DB_PORT + "/" + DB_NAME;
  }

  String otlpHttpUrl() {
    return "http://127.0.0.1:" + collector.httpPort() + "/v1/traces";
  }

  String otlpGrpcEndpoint() {
    return "http://127.0.0.1:" + otlpGrpcPort;
  }

  /** The collector's Zipkin v2 receiver. */
  String zipkinSpansUrl() {
    return "http://127.0.0.1:" + zipkinPort + "/api/v2/spans";
  }

  String queryUrl(String pathAndQuery) {
    return "http://127.0.0.1:" + query.httpPort() + pathAndQuery;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @Override
  public void close() throws InterruptedException {
    for (AgentProcess agent : agents) {
      agent.close();
    }
    for (ServiceProcess service : new ServiceProcess[] {collector, sampler, storage, query}) {
      if (service != null) {
        service.close();
      }
    }
  }
}
