package dev.cairn.sampler.config;

import dev.cairn.kafka.ProducerProperties;
import dev.cairn.model.wire.ConsumerGroups;
import dev.cairn.model.wire.TopicNames;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.policy.PolicySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** sampler-svc settings, {@code cairn.sampler.*} in application.properties. */
@ConfigMapping(prefix = "cairn.sampler")
public interface SamplerConfig {

  /**
   * Share of the traces no policy matched that is kept, in [0, 1], consistently (a function of the
   * trace id); 1 keeps everything. {@code CAIRN_SAMPLER_BASE_RATE}. A policy file may set its own.
   */
  @WithDefault("1.0")
  double baseRate();

  /**
   * Without a policy file: traces longer than this are kept with extended retention (after errors,
   * before the debug flag and the base rate).
   */
  @WithDefault("5s")
  Optional<Duration> latencyThreshold();

  /** Without a policy file: attributes that, set to true, keep a trace (extended retention). */
  @WithDefault("cairn.debug")
  List<String> debugAttributes();

  /**
   * A YAML or JSON policy file (format in {@code PolicyFile}) that replaces the policies above;
   * read again when it changes, a broken one keeps the last good policies. {@code
   * CAIRN_SAMPLER_POLICY_FILE}.
   */
  Optional<String> policyFile();

  /** How often the policy file is looked at. */
  @WithDefault("5s")
  Duration policyReloadInterval();

  /** A trace whose root arrived is complete after this long without a new span. */
  @WithDefault("10s")
  Duration decisionWait();

  /** A trace is decided at the latest this long after its first span arrived. */
  @WithDefault("60s")
  Duration maxTraceAge();

  /** Spans buffered over all undecided traces; beyond, the oldest traces are decided early. */
  @WithDefault("1000000")
  long maxBufferedSpans();

  /** Record bytes buffered over all undecided traces (256 MiB); likewise. */
  @WithDefault("268435456")
  long maxBufferedBytes();

  /** Spans of one trace; beyond, it is decided early and its later spans follow the decision. */
  @WithDefault("20000")
  int maxTraceSpans();

  /** Record bytes of one trace (32 MiB); likewise. */
  @WithDefault("33554432")
  long maxTraceBytes();

  /** Decisions remembered for late spans, kept and dropped traces alike. */
  @WithDefault("100000")
  int decisionCacheSize();

  /**
   * A replica that takes a partition over learns the decisions of at least this long before (from
   * the decision log), so that late spans of those traces follow them there too.
   */
  @WithDefault("60s")
  Duration lateSpanWindow();

  @WithDefault(TopicNames.SPANS_INGESTED)
  String ingestedTopic();

  @WithDefault(TopicNames.SPANS_SAMPLED)
  String sampledTopic();

  /** Where span metrics and service edges go (dev.cairn.sampler.spanmetrics). */
  @WithDefault(TopicNames.METRICS)
  String metricsTopic();

  /** Bounds of the span-metric aggregation between two drains. */
  SpanMetrics spanMetrics();

  /**
   * Where each transaction logs the traces it handled, so that a later owner of a partition replays
   * it without deciding a trace twice (see {@code PartitionLedger}).
   */
  @WithDefault("cairn.sampler.decisions")
  String decisionLogTopic();

  /** Consumer group: replicas share partitions, so each trace is decided by one replica. */
  @WithDefault(ConsumerGroups.SAMPLER)
  String groupId();

  Kafka kafka();

  default AssemblyLimits assemblyLimits() {
    return new AssemblyLimits(
        decisionWait(),
        maxTraceAge(),
        maxBufferedSpans(),
        maxBufferedBytes(),
        maxTraceSpans(),
        maxTraceBytes());
  }

  default PolicySettings policySettings() {
    return new PolicySettings(baseRate(), latencyThreshold(), new HashSet<>(debugAttributes()));
  }

  interface Kafka {
    /** Set in application.properties: {@code ${CAIRN_KAFKA_BOOTSTRAP:127.0.0.1:9092}}. */
    String bootstrapServers();

    @WithDefault("500")
    int maxPollRecords();

    @WithDefault("1s")
    Duration pollTimeout();

    /**
     * Longest between two transactions (decided records, metric deltas, decision log, offsets):
     * what the sampler adds to the latency of a decided trace.
     */
    @WithDefault("250ms")
    Duration commitInterval();

    /**
     * The broker aborts a transaction open longer: the longest a killed sampler holds back
     * read_committed consumers (storage) of the partitions it wrote to.
     */
    @WithDefault("10s")
    Duration transactionTimeout();

    /**
     * Transactional id of this process's producer; default a fresh one per process. Set a stable,
     * unique one per replica (e.g. a StatefulSet pod name) so that a restarted replica aborts its
     * predecessor's open transaction at once instead of after the transaction timeout.
     */
    Optional<String> transactionalId();

    /** Bound on reading the decision log when partitions are assigned. */
    @WithDefault("30s")
    Duration decisionLogReadTimeout();

    /**
     * First wait before restarting a failed loop (which then replays from the committed offsets);
     * doubles up to {@link #maxRetryBackoff()}.
     */
    @WithDefault("1s")
    Duration retryBackoff();

    @WithDefault("30s")
    Duration maxRetryBackoff();

    /** The producer to {@code cairn.spans.sampled}. */
    Producer producer();

    @WithDefault("2s")
    Duration healthTimeout();
  }

  /** {@code cairn.sampler.span-metrics.*}: see {@code SpanMetricsLimits}. */
  interface SpanMetrics {
    @WithDefault("20000")
    int maxSeries();

    @WithDefault("1000")
    int maxOverflowSeries();

    @WithDefault("500")
    int seriesPerRecord();
  }

  /** Bounds of the producer ({@link ProducerProperties.Bounds}). */
  interface Producer {
    @WithDefault("30s")
    Duration deliveryTimeout();

    @WithDefault("10s")
    Duration maxBlock();

    @WithDefault("5")
    int lingerMs();

    /** Measured: lz4 here saves no CPU (docs/benchmarks.md); the collector's records are lz4. */
    @WithDefault("none")
    String compressionType();

    /** Must be at least the collector's, since records are forwarded as they are. */
    @WithDefault("" + TraceWireCodec.DEFAULT_MAX_RECORD_BYTES)
    int maxRecordBytes();

    default ProducerProperties.Bounds bounds() {
      return new ProducerProperties.Bounds(
          deliveryTimeout(), maxBlock(), lingerMs(), compressionType(), maxRecordBytes());
    }
  }
}
