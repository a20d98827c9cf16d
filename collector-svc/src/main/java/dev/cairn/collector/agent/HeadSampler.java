package dev.cairn.collector.agent;

import com.google.protobuf.ByteString;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's head sampling: consistent ({@link ConsistentSampler}), so a span's fate is a pure
 * function of its trace id (or {@code ot=rv}), the probability and an upstream {@code ot=th} in its
 * tracestate. Every agent on every host, and every sampler replica downstream, keeps or drops the
 * same traces, so no trace is ever kept in part. Below probability 1 a kept span's tracestate gets
 * the effective {@code th}, from which downstream reads its adjusted count; at probability 1 spans
 * pass unchanged (a {@code th} from upstream is still honoured). Decides span by span, since an
 * agent sees only its own service's spans of a trace. Immutable and thread-safe.
 */
public final class HeadSampler {

  /** What sampling left of a batch. */
  public record Sampled(List<ResourceSpans> kept, int keptSpans, int droppedSpans) {}

  private final ConsistentSampler sampler;
  private final boolean writesThreshold;

  public HeadSampler(double probability) {
    this.sampler = ConsistentSampler.withProbability(probability);
    this.writesThreshold = probability < 1.0;
  }

  public double probability() {
    return sampler.probability();
  }

  /** The kept spans, grouped as they came; a group left empty is left out. */
  public Sampled sample(List<ResourceSpans> batch) {
    List<ResourceSpans> kept = new ArrayList<>(batch.size());
    int keptSpans = 0;
    int dropped = 0;
    for (ResourceSpans resourceSpans : batch) {
      List<ScopeSpans> scopes = new ArrayList<>(resourceSpans.getScopeSpansCount());
      boolean changed = false;
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        List<Span> spans = new ArrayList<>(scopeSpans.getSpansCount());
        boolean scopeChanged = false;
        for (Span span : scopeSpans.getSpansList()) {
          if (!sampler.keeps(traceId(span.getTraceId()), span.getTraceState())) {
            dropped++;
            scopeChanged = true;
          } else if (writesThreshold) {
            spans.add(
                span.toBuilder()
                    .setTraceState(sampler.traceStateForKept(span.getTraceState()))
                    .build());
            scopeChanged = true;
          } else {
            spans.add(span);
          }
        }
        keptSpans += spans.size();
        changed |= scopeChanged;
        if (!scopeChanged) {
          scopes.add(scopeSpans);
        } else if (!spans.isEmpty()) {
          scopes.add(scopeSpans.toBuilder().clearSpans().addAllSpans(spans).build());
        }
      }
      if (!changed) {
        kept.add(resourceSpans);
      } else if (!scopes.isEmpty()) {
        kept.add(resourceSpans.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build());
      }
    }
    return new Sampled(kept, keptSpans, dropped);
  }

  /** The id from its 16 big-endian bytes (the sanitizer has checked the length). */
  private static TraceId traceId(ByteString bytes) {
    return new TraceId(readLong(bytes, 0), readLong(bytes, 8));
  }

  private static long readLong(ByteString bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = (value << 8) | (bytes.byteAt(i) & 0xff);
    }
    return value;
  }
}
