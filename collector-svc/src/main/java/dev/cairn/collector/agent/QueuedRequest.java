package dev.cairn.collector.agent;

/**
 * One accepted export request as the agent keeps it until a gateway took it: the serialized OTLP
 * {@code ExportTraceServiceRequest} (bytes, not objects, so the queue's bound in bytes is what it
 * costs in memory, give or take a small header per request).
 *
 * @param bytes the serialized request
 * @param spans how many spans it holds
 * @param enqueuedNanos {@link System#nanoTime()}-style time it was queued at
 */
public record QueuedRequest(byte[] bytes, int spans, long enqueuedNanos) {}
