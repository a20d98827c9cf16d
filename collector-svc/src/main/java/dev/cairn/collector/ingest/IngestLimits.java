package dev.cairn.collector.ingest;

/**
 * Per-span bounds: attributes per resource, scope, span, event and link; value length; events and
 * links per span. Whatever exceeds them is dropped (and counted in the OTLP {@code dropped_*_count}
 * fields) or truncated (and counted in a metric), never rejected.
 */
public record IngestLimits(
    int maxAttributes, int maxAttributeValueLength, int maxEventsPerSpan, int maxLinksPerSpan) {

  public static final int DEFAULT_MAX_ATTRIBUTES = 128;
  public static final int DEFAULT_MAX_VALUE_LENGTH = 4096;
  public static final int DEFAULT_MAX_EVENTS = 128;
  public static final int DEFAULT_MAX_LINKS = 128;

  public static final IngestLimits DEFAULTS =
      new IngestLimits(
          DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_VALUE_LENGTH, DEFAULT_MAX_EVENTS, DEFAULT_MAX_LINKS);

  public IngestLimits {
    if (maxAttributes < 0
        || maxAttributeValueLength < 1
        || maxEventsPerSpan < 0
        || maxLinksPerSpan < 0) {
      throw new IllegalArgumentException("ingest limits must be positive: " + this);
    }
  }
}
