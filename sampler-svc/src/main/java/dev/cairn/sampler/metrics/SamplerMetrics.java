package dev.cairn.sampler.metrics;

import dev.cairn.sampler.RecordOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sampler's counters (Prometheus names): {@code cairn_sampler_records_received_total}, {@code
 * cairn_sampler_spans_received_total}, {@code cairn_sampler_records_kept_total}, {@code
 * cairn_sampler_spans_kept_total}, {@code cairn_sampler_records_dropped_total{reason}}, {@code
 * cairn_sampler_spans_dropped_total{reason}}, {@code cairn_sampler_records_rejected_total{reason}},
 * {@code cairn_sampler_publish_failures_total}, {@code cairn_sampler_loop_restarts_total}, and the
 * gauge {@code cairn_sampler_consumer_lag} (records behind the end of the assigned partitions, as
 * of the last poll).
 */
@ApplicationScoped
public class SamplerMetrics {

  private final MeterRegistry registry;
  private final Counter recordsReceived;
  private final Counter spansReceived;
  private final Counter recordsKept;
  private final Counter spansKept;
  private final Counter publishFailures;
  private final Counter loopRestarts;
  private final AtomicLong consumerLag = new AtomicLong();

  public SamplerMetrics(MeterRegistry registry) {
    this.registry = registry;
    recordsReceived = registry.counter("cairn.sampler.records.received");
    spansReceived = registry.counter("cairn.sampler.spans.received");
    recordsKept = registry.counter("cairn.sampler.records.kept");
    spansKept = registry.counter("cairn.sampler.spans.kept");
    publishFailures = registry.counter("cairn.sampler.publish.failures");
    loopRestarts = registry.counter("cairn.sampler.loop.restarts");
    registry.gauge("cairn.sampler.consumer.lag", consumerLag);
  }

  public void record(RecordOutcome outcome) {
    recordsReceived.increment();
    if (outcome instanceof RecordOutcome.Kept kept) {
      spansReceived.increment(kept.spanCount());
      recordsKept.increment();
      spansKept.increment(kept.spanCount());
    } else if (outcome instanceof RecordOutcome.Dropped dropped) {
      spansReceived.increment(dropped.spanCount());
      registry.counter("cairn.sampler.records.dropped", "reason", dropped.reason()).increment();
      registry
          .counter("cairn.sampler.spans.dropped", "reason", dropped.reason())
          .increment(dropped.spanCount());
    } else if (outcome instanceof RecordOutcome.Rejected rejected) {
      registry
          .counter("cairn.sampler.records.rejected", "reason", rejected.reason().tag())
          .increment();
    }
  }

  public void publishFailed() {
    publishFailures.increment();
  }

  /** The sampling loop failed and is started again. */
  public void loopRestarted() {
    loopRestarts.increment();
  }

  public void consumerLag(long records) {
    consumerLag.set(records);
  }
}
