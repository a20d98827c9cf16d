package dev.cairn.store;

import dev.cairn.model.metrics.MetricsBatch;

/**
 * One record of the metrics topic to add to the store: its offset in its partition and its content
 * (empty for a record the consumer could not decode, so that its offset still moves on).
 */
public record MetricsDelta(long offset, MetricsBatch batch) {}
