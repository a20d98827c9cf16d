package dev.cairn.collector.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The collector's ingest meters (Prometheus names: {@code cairn_collector_spans_received_total
 * {transport}}, {@code cairn_collector_spans_rejected_total{reason}}, {@code
 * cairn_collector_spans_published_total}, {@code cairn_collector_attributes_truncated_total},
 * {@code cairn_collector_characters_replaced_total{reason}}, {@code
 * cairn_collector_publish_failures_total{retryable}}, {@code
 * cairn_collector_requests_rejected_total{transport,reason="malformed"}}, {@code
 * cairn_collector_request_duration_seconds{transport,outcome}}). Every series is registered up
 * front so that it reads 0 rather than being absent.
 */
public final class IngestMetrics {

  static final String SUCCESS = "success";
  static final String UNAVAILABLE = "unavailable";
  static final String REFUSED = "refused";

  private final MeterRegistry registry;
  private final Map<Transport, Counter> received = new EnumMap<>(Transport.class);
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Map<Transport, Counter> malformedRequests = new EnumMap<>(Transport.class);
  private final Map<CharacterReplacement, Counter> replaced =
      new EnumMap<>(CharacterReplacement.class);
  private final Counter published;
  private final Counter truncated;
  private final Counter retryablePublishFailures;
  private final Counter finalPublishFailures;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Transport transport : Transport.values()) {
      received.put(
          transport,
          Counter.builder("cairn.collector.spans.received")
              .description("Spans received, valid or not")
              .tag("transport", transport.tag())
              .register(registry));
    }
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(
          reason,
          Counter.builder("cairn.collector.spans.rejected")
              .description("Spans refused as invalid (reported in partial_success)")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    for (Transport transport : Transport.values()) {
      // A request, not spans: a body that cannot be decoded has no span count to report.
      malformedRequests.put(
          transport,
          Counter.builder("cairn.collector.requests.rejected")
              .description("Requests refused whole (400 / INVALID_ARGUMENT), nothing published")
              .tag("transport", transport.tag())
              .tag("reason", "malformed")
              .register(registry));
    }
    for (CharacterReplacement reason : CharacterReplacement.values()) {
      replaced.put(
          reason,
          Counter.builder("cairn.collector.characters.replaced")
              .description("Characters of string fields replaced with U+FFFD (span kept)")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    published =
        Counter.builder("cairn.collector.spans.published")
            .description(
                "Spans handed on: acknowledged by Kafka (gateway), queued for the gateways (agent)")
            .register(registry);
    truncated =
        Counter.builder("cairn.collector.attributes.truncated")
            .description("Attribute values shortened to the configured length limit")
            .register(registry);
    retryablePublishFailures = publishFailures(registry, true);
    finalPublishFailures = publishFailures(registry, false);
    for (Transport transport : Transport.values()) {
      for (String outcome : new String[] {SUCCESS, UNAVAILABLE, REFUSED}) {
        timer(transport, outcome);
      }
    }
  }

  void received(Transport transport, int spans) {
    received.get(transport).increment(spans);
  }

  void rejected(Map<RejectReason, Integer> counts) {
    counts.forEach((reason, count) -> rejected.get(reason).increment(count));
  }

  void malformedRequest(Transport transport) {
    malformedRequests.get(transport).increment();
  }

  void truncated(long values) {
    if (values > 0) {
      truncated.increment(values);
    }
  }

  void replaced(Map<CharacterReplacement, Long> counts) {
    counts.forEach((reason, count) -> replaced.get(reason).increment(count));
  }

  void published(int spans) {
    published.increment(spans);
  }

  void publishFailed(boolean retryable) {
    (retryable ? retryablePublishFailures : finalPublishFailures).increment();
  }

  private static Counter publishFailures(MeterRegistry registry, boolean retryable) {
    return Counter.builder("cairn.collector.publish.failures")
        .description(
            "Requests whose spans Kafka did not acknowledge: answered UNAVAILABLE/503 when"
                + " retryable, INVALID_ARGUMENT/400 when Kafka refused them for good")
        .tag("retryable", String.valueOf(retryable))
        .register(registry);
  }

  Timer.Sample start() {
    return Timer.start(registry);
  }

  /** Outcome tags of the request timer: success, unavailable (retryable) or refused. */
  void stop(Timer.Sample sample, Transport transport, String outcome) {
    sample.stop(timer(transport, outcome));
  }

  private Timer timer(Transport transport, String outcome) {
    return Timer.builder("cairn.collector.request.duration")
        .description("Time from a request's arrival to its answer (gateway: Kafka ack included)")
        .tag("transport", transport.tag())
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry);
  }
}
