package dev.cairn.collector.config;

import dev.cairn.collector.ingest.IngestLimits;
import dev.cairn.collector.ingest.SpanTimeWindow;
import dev.cairn.model.wire.TraceWireCodec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * All of collector-svc's own settings, typed and defaulted in one place ({@code cairn.collector}).
 */
@ConfigMapping(prefix = "cairn.collector")
public interface CollectorConfig {

  Ingest ingest();

  Kafka kafka();

  Zipkin zipkin();

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
}
