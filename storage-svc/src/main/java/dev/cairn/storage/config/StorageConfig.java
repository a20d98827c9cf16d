package dev.cairn.storage.config;

import dev.cairn.kafka.ProducerProperties;
import dev.cairn.model.wire.ConsumerGroups;
import dev.cairn.model.wire.TopicNames;
import dev.cairn.model.wire.TraceWireCodec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** storage-svc settings ({@code cairn.storage.*} in application.properties). */
@ConfigMapping(prefix = "cairn.storage")
public interface StorageConfig {

  Kafka kafka();

  Batch batch();

  Retry retry();

  Db db();

  /** The span-metrics consumer (an {@code @Incoming} channel, {@code mp.messaging.*}). */
  Metrics metrics();

  interface Metrics {
    /** The channel's topic ({@code mp.messaging.incoming.span-metrics.topic} refers to it). */
    @WithDefault(TopicNames.METRICS)
    String topic();

    /** The channel's consumer group; its Kafka offsets stay uncommitted (the store keeps them). */
    @WithDefault("cairn-storage-metrics")
    String groupId();

    /**
     * Tries of a batch the store cannot take (backoff as {@link Retry}) before the channel fails.
     */
    @WithDefault("20")
    int maxAttempts();
  }

  interface Kafka {
    String bootstrapServers();

    @WithDefault(TopicNames.SPANS_SAMPLED)
    String topic();

    @WithDefault(ConsumerGroups.STORAGE)
    String groupId();

    /** How long one poll waits for records. */
    @WithDefault("100ms")
    Duration pollTimeout();

    @WithDefault("2s")
    Duration healthTimeout();

    /**
     * Records one poll returns at most ({@code max.poll.records}). Batches are cut at exactly
     * {@link Batch#maxSpans()} whatever this is; smaller polls only return sooner.
     */
    @WithDefault("500")
    int maxPollRecords();

    /**
     * Where records go that cannot be stored (undecodable, or refused by the store), unchanged,
     * with headers saying why and where from ({@code DeadLetterPublisher}).
     */
    @WithDefault(TopicNames.SPANS_DEAD)
    String deadLetterTopic();

    /** Bounds of the dead-letter producer. */
    DeadLetterProducer deadLetterProducer();
  }

  /** {@link ProducerProperties.Bounds} of the dead-letter producer. */
  interface DeadLetterProducer {
    /** A batch waits at most this (plus maxBlock) for the dead-letter acknowledgement. */
    @WithDefault("30s")
    Duration deliveryTimeout();

    @WithDefault("10s")
    Duration maxBlock();

    /**
     * Largest record value forwarded: at least the sampler's, since records go to the dead-letter
     * topic as they came.
     */
    @WithDefault("" + TraceWireCodec.DEFAULT_MAX_RECORD_BYTES)
    int maxRecordBytes();

    default ProducerProperties.Bounds bounds() {
      // Dead letters are rare and sent one batch at a time: no linger, no compression.
      return new ProducerProperties.Bounds(
          deliveryTimeout(), maxBlock(), 0, "none", maxRecordBytes());
    }
  }

  /** A batch is written when it holds {@code maxSpans} spans or is {@code maxWait} old. */
  interface Batch {
    @WithDefault("5000")
    int maxSpans();

    @WithDefault("200ms")
    Duration maxWait();

    /**
     * Batches written at the same time, each on its own thread and database connection. A Kafka
     * partition always goes to the same writer (partition number modulo this), so its batches are
     * written and committed in order. The datasource pool needs at least this many connections.
     */
    @WithDefault("3")
    int writers();
  }

  /** Backoff between attempts to write a batch the store could not take. */
  interface Retry {
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Stays well under the consumer's max.poll.interval.ms (5 min), so the group keeps us. */
    @WithDefault("30s")
    Duration maxBackoff();
  }

  interface Db {
    /** Schema the migrations create and the writer uses (search path of the datasource). */
    @WithDefault("public")
    String schema();
  }
}
