package dev.cairn.collector.ingest;

import dev.cairn.model.wire.TraceSplit;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's way out: the spans cut into one wire record per trace (and a trace larger than one
 * record into several of the same key), published through the {@link SpanPublisher}; a span that
 * alone is larger than a record is refused as {@link RejectReason#SPAN_TOO_LARGE}.
 */
public final class PerTraceOutbound implements Outbound {

  private final SpanPublisher publisher;
  private final int maxRecordBytes;

  /**
   * @param maxRecordBytes largest record value the publisher may send
   */
  public PerTraceOutbound(SpanPublisher publisher, int maxRecordBytes) {
    this.publisher = publisher;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public Handoff send(List<ResourceSpans> spans, int spanCount) {
    TraceSplit split = TraceWireCodec.splitByTrace(spans, maxRecordBytes);
    Map<RejectReason, Integer> refused =
        split.oversizedSpans() == 0
            ? Map.of()
            : Map.of(RejectReason.SPAN_TOO_LARGE, split.oversizedSpans());
    if (split.parts().isEmpty()) {
      return Handoff.nothing(refused);
    }
    return new Handoff(refused, spanCount - split.oversizedSpans(), publishSafely(split));
  }

  private CompletionStage<Void> publishSafely(TraceSplit split) {
    try {
      return publisher.publish(split.parts());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
