package dev.cairn.sampler.metrics;

import dev.cairn.sampler.RejectReason;
import dev.cairn.sampler.SamplerEvents;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.assembly.CompletionCause;
import dev.cairn.sampler.policy.ReloadingPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sampler's meters (Prometheus names):
 *
 * <ul>
 *   <li>{@code cairn_sampler_spans_received_total}; {@code
 *       cairn_sampler_records_rejected_total{reason}} (malformed, skipped);
 *   <li>{@code cairn_sampler_traces_decided_total{decision,reason,cause}}, {@code
 *       cairn_sampler_spans_kept_total{reason}}, {@code cairn_sampler_spans_dropped_total{reason}};
 *       {@code cairn_sampler_traces_decided_early_total{cause}} (buffer full, or a trace at its own
 *       bound);
 *   <li>{@code cairn_sampler_late_spans_kept_total}, {@code cairn_sampler_late_spans_dropped_total}
 *       (spans that arrived after their trace's decision and followed it);
 *   <li>{@code cairn_sampler_spans_replayed_total} (replayed records an earlier owner had handled,
 *       skipped); {@code cairn_sampler_traces_revoked_total}, {@code
 *       cairn_sampler_spans_revoked_total} (undecided when their partition moved away);
 *   <li>{@code cairn_sampler_policy_reloads_total}, {@code
 *       cairn_sampler_policy_reload_failures_total{reason}}; {@code
 *       cairn_sampler_failures_total{what}} (a policy or observer threw);
 *   <li>{@code cairn_sampler_transactions_total}, {@code cairn_sampler_loop_restarts_total};
 *   <li>gauges {@code cairn_sampler_buffered_spans}, {@code cairn_sampler_buffered_bytes}, {@code
 *       cairn_sampler_buffered_traces}, {@code cairn_sampler_consumer_lag} (records behind the end
 *       of the assigned partitions), as of the last poll.
 * </ul>
 */
@ApplicationScoped
public class SamplerMetrics implements SamplerEvents, ReloadingPolicy.Listener {

  private final MeterRegistry registry;
  private final Counter spansReceived;
  private final Counter lateKept;
  private final Counter lateDropped;
  private final Counter replayed;
  private final Counter tracesRevoked;
  private final Counter spansRevoked;
  private final Counter reloads;
  private final Counter transactions;
  private final Counter loopRestarts;
  private final AtomicLong consumerLag = new AtomicLong();
  private final AtomicLong bufferedSpans = new AtomicLong();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong bufferedTraces = new AtomicLong();

  public SamplerMetrics(MeterRegistry registry) {
    this.registry = registry;
    spansReceived = registry.counter("cairn.sampler.spans.received");
    lateKept = registry.counter("cairn.sampler.late.spans.kept");
    lateDropped = registry.counter("cairn.sampler.late.spans.dropped");
    replayed = registry.counter("cairn.sampler.spans.replayed");
    tracesRevoked = registry.counter("cairn.sampler.traces.revoked");
    spansRevoked = registry.counter("cairn.sampler.spans.revoked");
    reloads = registry.counter("cairn.sampler.policy.reloads");
    transactions = registry.counter("cairn.sampler.transactions");
    loopRestarts = registry.counter("cairn.sampler.loop.restarts");
    registry.gauge("cairn.sampler.consumer.lag", consumerLag);
    registry.gauge("cairn.sampler.buffered.spans", bufferedSpans);
    registry.gauge("cairn.sampler.buffered.bytes", bufferedBytes);
    registry.gauge("cairn.sampler.buffered.traces", bufferedTraces);
  }

  @Override
  public void received(int spans) {
    spansReceived.increment(spans);
  }

  @Override
  public void rejected(RejectReason reason) {
    registry.counter("cairn.sampler.records.rejected", "reason", reason.tag()).increment();
  }

  @Override
  public void decided(SamplingDecision decision, CompletionCause cause, int spans) {
    registry
        .counter(
            "cairn.sampler.traces.decided",
            "decision",
            decision.keep() ? "kept" : "dropped",
            "reason",
            decision.reason(),
            "cause",
            cause.tag())
        .increment();
    registry
        .counter(
            decision.keep() ? "cairn.sampler.spans.kept" : "cairn.sampler.spans.dropped",
            "reason",
            decision.reason())
        .increment(spans);
    if (cause.early()) {
      registry.counter("cairn.sampler.traces.decided.early", "cause", cause.tag()).increment();
    }
  }

  @Override
  public void late(SamplingDecision decision, int spans) {
    (decision.keep() ? lateKept : lateDropped).increment(spans);
  }

  @Override
  public void replayed(int spans) {
    replayed.increment(spans);
  }

  @Override
  public void revoked(int traces, int spans) {
    tracesRevoked.increment(traces);
    spansRevoked.increment(spans);
  }

  @Override
  public void failed(String what) {
    registry.counter("cairn.sampler.failures", "what", what).increment();
  }

  @Override
  public void policyReloaded() {
    reloads.increment();
  }

  @Override
  public void policyReloadFailed(String reason) {
    registry.counter("cairn.sampler.policy.reload.failures", "reason", reason).increment();
  }

  /** A transaction (output, metric deltas, decision log and offsets) was committed. */
  public void committed() {
    transactions.increment();
  }

  /** The sampling loop failed and is started again. */
  public void loopRestarted() {
    loopRestarts.increment();
  }

  public void consumerLag(long records) {
    consumerLag.set(records);
  }

  public void buffered(long traces, long spans, long bytes) {
    bufferedTraces.set(traces);
    bufferedSpans.set(spans);
    bufferedBytes.set(bytes);
  }
}
