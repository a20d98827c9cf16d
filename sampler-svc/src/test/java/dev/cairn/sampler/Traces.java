package dev.cairn.sampler;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.ArrayList;
import java.util.List;

/** Traces for the sampler's tests: spans of a small request without errors, and their records. */
public final class Traces {

  public static final long START = 1_700_000_000_000_000_000L;
  public static final long MS = 1_000_000L;

  private Traces() {}

  /** frontend GET /cart (root, {@code rootMillis} long) → checkout GET /items (child, 5 ms). */
  public static List<Span> normal(TraceId id, long rootMillis) {
    SpanId root = SpanFixtures.randomSpanId();
    List<Span> spans = new ArrayList<>();
    spans.add(
        SpanFixtures.span(id, "frontend", "GET /cart")
            .spanId(root)
            .kind(SpanKind.SERVER)
            .start(START)
            .end(START + rootMillis * MS)
            .build());
    spans.add(
        SpanFixtures.span(id, "checkout", "GET /items")
            .parent(root)
            .kind(SpanKind.SERVER)
            .start(START + MS)
            .end(START + 6 * MS)
            .build());
    return spans;
  }

  /** The normal trace with an attribute on its child span. */
  public static List<Span> withAttribute(TraceId id, Attribute attribute) {
    List<Span> spans = new ArrayList<>(normal(id, 20));
    Span child = spans.get(1);
    spans.set(
        1,
        SpanFixtures.span(id, child.serviceName(), child.name())
            .spanId(child.spanId())
            .parent(child.parentSpanId())
            .start(child.startTimeUnixNano())
            .end(child.endTimeUnixNano())
            .attributes(List.of(attribute))
            .build());
    return spans;
  }

  public static AssembledTrace assembled(TraceId id, List<Span> spans) {
    return AssembledTrace.of(id, List.of(OtlpSpanMapper.toTracesData(spans)));
  }

  /** One wire record value holding the spans. */
  public static byte[] record(List<Span> spans) {
    return TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans));
  }
}
