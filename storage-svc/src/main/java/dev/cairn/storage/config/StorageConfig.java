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

  /** Retention tiers, rollups and the maintenance jobs ({@code cairn.storage.retention.*}). */
  Retention retention();

  /**
   * How long each tier keeps its rows, the chunk interval of its tables, and when the maintenance
   * jobs run. A period takes effect at the next retention run (or, under the Community licence,
   * when the policies are set again at start-up); a chunk interval applies to chunks created after
   * start-up. See docs/architecture.md, "Storage: tiers".
   */
  interface Retention {
    /**
     * Off: no retention, no rollups, no policies (e.g. a replica that must not touch the schema).
     */
    @WithDefault("true")
    boolean enabled();

    /** Spans of the {@code standard} class. */
    @WithDefault("7d")
    Duration standard();

    /** Spans of the {@code extended} class (errors, slow, debug). */
    @WithDefault("30d")
    Duration extended();

    /** Per-minute span metrics and service edges. */
    @WithDefault("90d")
    Duration aggregates();

    /** Hourly rollups of the per-minute aggregates (the cold tier). */
    @WithDefault("90d")
    Duration rollups();

    /**
     * Chunks of spans older than this are warm: under the Community licence compressed natively,
     * under Apache-2 (no native compression) re-packed so that each trace has one segment per chunk
     * ({@link #warmCompaction()}).
     */
    @WithDefault("1d")
    Duration warmAfter();

    /**
     * Under Apache-2, whether warm chunks are re-packed (WarmCompactionJob). Off by default: it
     * makes trace by id decode one payload per chunk instead of one per batch, but the rows it
     * deletes leave their space in the chunk until the chunk is dropped (no late writes come to
     * reuse it), so on disk a compacted chunk is larger, not smaller (docs/benchmarks.md, "Warm
     * compaction").
     */
    @WithDefault("false")
    boolean warmCompaction();

    /**
     * Under Apache-2, whether each warm chunk of the segments and summaries has its indexes rebuilt
     * once (IndexRebuildJob, {@code REINDEX INDEX CONCURRENTLY}): built compactly instead of grown
     * by inserts, ~5 % fewer bytes per span (docs/benchmarks.md, "Warm index rebuilds").
     */
    @WithDefault("true")
    boolean rebuildWarmIndexes();

    ChunkIntervals chunkIntervals();

    Schedule schedule();

    Rollup rollup();

    /**
     * A chunk drop waits at most this for its lock (queries reading the chunk hold it) before the
     * run gives up until the next one, so that a drop never queues the writers behind it.
     */
    @WithDefault("5s")
    Duration lockTimeout();
  }

  /** Chunk interval of each tier's hypertables. */
  interface ChunkIntervals {
    @WithDefault("1h")
    Duration standard();

    @WithDefault("1h")
    Duration extended();

    @WithDefault("1d")
    Duration aggregates();

    @WithDefault("7d")
    Duration rollups();

    /**
     * Trace summaries of both span tiers (one row per trace): coarser than the segments, so that a
     * trace-by-id lookup probes few chunks over the retention window.
     */
    @WithDefault("1d")
    Duration summaries();
  }

  /** When the maintenance jobs (retention, rollups) run, on every replica (one runs, see docs). */
  interface Schedule {
    /** After start-up, before the first run. */
    @WithDefault("1m")
    Duration initialDelay();

    @WithDefault("5m")
    Duration every();
  }

  interface Rollup {
    /**
     * Closed hours recomputed again on every run, so that deltas the sampler publishes late are in
     * their hour's rollup.
     */
    @WithDefault("3h")
    Duration lookback();

    /** Hours rolled up at most in one run, when catching up after a pause. */
    @WithDefault("168")
    int maxHoursPerRun();
  }

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
