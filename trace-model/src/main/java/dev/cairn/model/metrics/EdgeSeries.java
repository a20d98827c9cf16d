package dev.cairn.model.metrics;

/**
 * Calls from one service to another in one minute (when the calling span started): {@code
 * aggregate.count()} calls, {@code errors} of them failed (client or server span with status
 * ERROR), latency in the aggregate's histogram (the client span's duration for requests, the
 * consumer span's for messaging).
 */
public record EdgeSeries(
    long minuteUnixNano,
    String client,
    String server,
    EdgeType type,
    double errors,
    SeriesAggregate aggregate) {}
