package dev.cairn.operator.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code cairn_operator_reconciles_total{outcome}}: every reconcile, by how it ended ({@code
 * ready}, {@code not_ready}, {@code invalid_spec}, {@code kafka_unavailable}, {@code failed}), so
 * that an alert sees a cluster stuck where its status says so.
 */
final class ReconcileMetrics {
  private final MeterRegistry registry;

  ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String outcome) {
    Counter.builder("cairn_operator_reconciles_total")
        .description("TracingCluster reconciles, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
