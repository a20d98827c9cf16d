package dev.cairn.collector.ingest;

import dev.cairn.model.wire.TracePart;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The port through which accepted spans leave the collector (the Kafka adapter in production, a
 * lambda in unit tests).
 *
 * <p>Contract: each part becomes one record of the wire format (key = trace id, value = the part's
 * TracesData). The returned stage completes normally only after every part is durably acknowledged,
 * and exceptionally with {@link PublishFailedException} as soon as one part cannot be, always
 * within a bounded time; the exception says whether a retry may succeed. On failure some parts may
 * already be published: the client retries the request, and every downstream write is idempotent,
 * so a retry never loses and never duplicates a stored span. Implementations must not block the
 * caller for longer than a short, configured bound.
 */
@FunctionalInterface
public interface SpanPublisher {
  CompletionStage<Void> publish(List<TracePart> parts);
}
