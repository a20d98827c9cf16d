package dev.cairn.store;

import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.SeriesAggregate;

/** One service edge summed over a time window: calls, failed calls and latency histogram. */
public record EdgeTotal(
    String client, String server, EdgeType type, double errors, SeriesAggregate aggregate) {}
