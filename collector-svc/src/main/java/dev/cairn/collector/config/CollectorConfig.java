package dev.cairn.collector.config;

import dev.cairn.collector.ingest.IngestLimits;
import dev.cairn.collector.ingest.SpanTimeWindow;
import dev.cairn.model.wire.TraceWireCodec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All of collector-svc's own settings, typed and defaulted in one place ({@code cairn.collector}).
 */
@ConfigMapping(prefix = "cairn.collector")
public interface CollectorConfig {

  /** What this collector is: a per-region gateway to Kafka, or an agent beside an application. */
  enum Role {
    GATEWAY,
    AGENT
  }

  /**
   * {@code gateway} (default): spans go to Kafka. {@code agent}: spans are head-sampled, queued and
   * forwarded to gateways over OTLP/gRPC; no Kafka client is made, and the receivers listen on
   * 127.0.0.1 unless {@code quarkus.http.host} / {@code quarkus.grpc.server.host} say otherwise.
   */
  @WithDefault("gateway")
  Role role();

  Ingest ingest();

  Kafka kafka();

  Zipkin zipkin();

  Agent agent();

  /** Bounds applied to every request and span before anything is published. */
  interface Ingest {
    /** Largest accepted request body, on the wire and after decompression. */
    @WithDefault("8388608")
    int maxRequestBytes();

    @WithDefault("" + IngestLimits.DEFAULT_MAX_ATTRIBUTES)
    int maxAttributes();

    /** Longest string value (chars) or bytes value (bytes) an attribute keeps. */
    @WithDefault("" + IngestLimits.DEFAULT_MAX_VALUE_LENGTH)
    int maxAttributeValueLength();

    @WithDefault("" + IngestLimits.DEFAULT_MAX_EVENTS)
    int maxEventsPerSpan();

    @WithDefault("" + IngestLimits.DEFAULT_MAX_LINKS)
    int maxLinksPerSpan();

    /**
     * Oldest span start accepted, before now; older spans are rejected ({@code
     * timestamp_out_of_range}). Default: the longest span retention ({@code extended}).
     */
    @WithDefault("30d")
    Duration maxSpanAge();

    /** How far past now a span may end (clients' clock skew); beyond, it is rejected. */
    @WithDefault("1h")
    Duration maxFutureSkew();

    default IngestLimits limits() {
      return new IngestLimits(
          maxAttributes(), maxAttributeValueLength(), maxEventsPerSpan(), maxLinksPerSpan());
    }

    default SpanTimeWindow timeWindow() {
      return new SpanTimeWindow(maxSpanAge(), maxFutureSkew());
    }
  }

  /** The producer to {@code cairn.spans.ingested}. */
  interface Kafka {
    String bootstrapServers();

    @WithDefault("cairn.spans.ingested")
    String topic();

    /** Upper bound on the time from send to acknowledgement, retries included. */
    @WithDefault("12s")
    Duration deliveryTimeout();

    /** Longest a send may wait for metadata or buffer space before the request fails. */
    @WithDefault("3s")
    Duration maxBlock();

    @WithDefault("5")
    int lingerMs();

    @WithDefault("lz4")
    String compressionType();

    /**
     * Largest record value: a trace part larger than this is split into several records of the same
     * key. The topic's {@code max.message.bytes} must leave room for it (scripts/infra.sh).
     */
    @WithDefault("" + TraceWireCodec.DEFAULT_MAX_RECORD_BYTES)
    int maxRecordBytes();

    /** Seconds a client is asked to wait (Retry-After) when Kafka is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Timeout of the readiness probe's cluster lookup. */
    @WithDefault("2s")
    Duration healthTimeout();
  }

  /** Zipkin v2 {@code POST /api/v2/spans}, on a server of its own (Quarkus has one HTTP port). */
  interface Zipkin {
    @WithDefault("true")
    boolean enabled();

    /** 0 picks a free port (tests); the receiver reports the one it bound. */
    @WithDefault("9411")
    int port();

    @WithDefault("0.0.0.0")
    String host();
  }

  /** The agent role (read only with {@code cairn.collector.role=agent}). */
  interface Agent {

    /**
     * The gateways, {@code host:port} each ({@code [v6]:port}); a host name stands for every
     * address it resolves to, resolved again every {@code resolve-interval}. Required in agent
     * role.
     */
    Optional<List<String>> gateways();

    @WithDefault("30s")
    Duration resolveInterval();

    Sampling sampling();

    Queue queue();

    Export export();

    Resource resource();

    /** Head sampling, consistent by trace id. */
    interface Sampling {
      /** Share of traces kept, in [0, 1]. */
      @WithDefault("1.0")
      double probability();
    }

    /** The buffer between the application and the gateways. */
    interface Queue {
      /**
       * Most serialized bytes held for the gateways, queued and being retried. The default, 48 MiB,
       * holds two minutes of 1,000 spans/s of up to 400 bytes (the load generator's spans are 338)
       * with every gateway down: an application sending 10,000 spans/s at 10 % head sampling. Size
       * it as spans/s forwarded x seconds of outage x bytes per span ({@code
       * cairn_collector_agent_queued_bytes_total} over spans published), and give the heap that
       * much room on top of its working set.
       */
      @WithDefault("50331648")
      long maxBytes();
    }

    /** Exports to the gateways. */
    interface Export {
      /** Exports in flight at once (one sender thread each). */
      @WithDefault("2")
      int senders();

      /** Most bytes per export; must stay under the gateways' max-request-bytes (8 MiB). */
      @WithDefault("2097152")
      int maxBatchBytes();

      /** Deadline of one export. */
      @WithDefault("10s")
      Duration timeout();

      /** How long a batch is retried, from when it was queued; then it is dropped and counted. */
      @WithDefault("5m")
      Duration maxAge();

      /** First time an unhealthy gateway is skipped; doubles per failure in a row. */
      @WithDefault("250ms")
      Duration initialBackoff();

      @WithDefault("10s")
      Duration maxBackoff();

      /** Share of each backoff taken off at random, so agents do not retry in step. */
      @WithDefault("0.5")
      double backoffJitter();

      /** How long a stopping agent keeps sending what it holds. */
      @WithDefault("5s")
      Duration drainTimeout();
    }

    /**
     * Where the agent runs, from the Kubernetes downward API (CAIRN_POD_NAME, CAIRN_POD_NAMESPACE,
     * CAIRN_NODE_NAME in application.properties); added to every resource that lacks them.
     */
    interface Resource {
      Optional<String> podName();

      Optional<String> namespace();

      Optional<String> nodeName();
    }
  }
}
