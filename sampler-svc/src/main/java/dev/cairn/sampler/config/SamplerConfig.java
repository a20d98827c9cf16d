package dev.cairn.sampler.config;

import dev.cairn.model.wire.TopicNames;
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
  @WithDefault("cairn-sampler")
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

    /** Wait before re-reading a batch whose publishing failed. */
    @WithDefault("1s")
    Duration retryBackoff();

    @WithDefault("2s")
    Duration healthTimeout();
  }
}
