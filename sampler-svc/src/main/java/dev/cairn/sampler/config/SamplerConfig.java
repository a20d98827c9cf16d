package dev.cairn.sampler.config;

import dev.cairn.kafka.ProducerProperties;
import dev.cairn.model.wire.ConsumerGroups;
import dev.cairn.model.wire.TopicNames;
import dev.cairn.model.wire.TraceWireCodec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** sampler-svc settings, {@code cairn.sampler.*} in application.properties. */
@ConfigMapping(prefix = "cairn.sampler")
public interface SamplerConfig {

  /** Probability of keeping a trace, in [0, 1]; 1 keeps all and passes records unchanged. */
  @WithDefault("1.0")
  double probability();

  @WithDefault(TopicNames.SPANS_INGESTED)
  String ingestedTopic();

  @WithDefault(TopicNames.SPANS_SAMPLED)
  String sampledTopic();

  /** Consumer group: replicas share partitions, so each trace is decided by one replica. */
  @WithDefault(ConsumerGroups.SAMPLER)
  String groupId();

  Kafka kafka();

  interface Kafka {
    /** Set in application.properties: {@code ${CAIRN_KAFKA_BOOTSTRAP:127.0.0.1:9092}}. */
    String bootstrapServers();

    /** Records per poll: one poll is one produce-then-commit batch. */
    @WithDefault("500")
    int maxPollRecords();

    @WithDefault("1s")
    Duration pollTimeout();

    /**
     * First wait before re-reading a batch whose publishing failed, or polling again after a failed
     * poll, and before restarting a failed loop; doubles up to {@link #maxRetryBackoff()}.
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
