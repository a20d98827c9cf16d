package dev.cairn.loadgen.run;

import java.util.Map;

/**
 * Counters at one moment. Spans are counted when their request is answered: {@code sent} = accepted
 * + rejected + failed.
 *
 * @param requests requests answered (successfully or not)
 * @param failedRequests requests that failed as a whole
 * @param spansSent spans in answered requests
 * @param spansAccepted spans the receiver accepted
 * @param spansRejected spans refused through {@code partial_success}
 * @param spansFailed spans in failed requests
 * @param traces whole traces in answered requests
 * @param inFlight requests sent and not answered yet
 * @param failuresByStatus failed requests per status
 * @param lastRejectMessage the latest partial-success message, or empty
 * @param latencyMicros request latency percentiles: p50, p90, p99, max (microseconds)
 */
public record StatsSnapshot(
    long requests,
    long failedRequests,
    long spansSent,
    long spansAccepted,
    long spansRejected,
    long spansFailed,
    long traces,
    long inFlight,
    Map<String, Long> failuresByStatus,
    String lastRejectMessage,
    long[] latencyMicros) {}
