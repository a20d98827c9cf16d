package dev.cairn.collector.ingest;

/**
 * Why a span was rejected. A span is counted under the first reason it fails, so the counts of a
 * request add up to its {@code rejected_spans}.
 */
public enum RejectReason {
  TRACE_ID_LENGTH("trace_id_length", "invalid trace id (not 16 bytes)"),
  TRACE_ID_ZERO("trace_id_zero", "invalid trace id (all zero)"),
  SPAN_ID_LENGTH("span_id_length", "invalid span id (not 8 bytes)"),
  SPAN_ID_ZERO("span_id_zero", "invalid span id (all zero)"),
  PARENT_SPAN_ID_LENGTH(
      "parent_span_id_length", "invalid parent span id (neither empty nor 8 bytes)"),
  END_BEFORE_START("end_before_start", "end before start"),
  TIMESTAMP_OUT_OF_RANGE(
      "timestamp_out_of_range",
      "timestamp out of range (started before now - cairn.collector.ingest.max-span-age"
          + " or ends after now + cairn.collector.ingest.max-future-skew)"),

  /** Even bounded, with its resource and scope the span is larger than one Kafka record. */
  SPAN_TOO_LARGE("span_too_large", "span larger than one Kafka record"),

  /**
   * Agent role: the forwarding queue had no room for the request's spans (every gateway down or
   * slow for longer than the queue holds). Failing open, the request is answered at once.
   */
  QUEUE_FULL("queue_full", "agent queue full (gateways unreachable), spans dropped");

  private final String metricTag;
  private final String description;

  RejectReason(String metricTag, String description) {
    this.metricTag = metricTag;
    this.description = description;
  }

  /** Value of the {@code reason} tag of {@code cairn_collector_spans_rejected_total}. */
  public String metricTag() {
    return metricTag;
  }

  /** Wording used in the OTLP {@code partial_success.error_message}. */
  public String description() {
    return description;
  }
}
