package dev.cairn.query.testing;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A large, realistic-looking trace for the UI's drawing tests and benchmark: {@code count} spans
 * over ten services, each child inside its parent's interval, depth up to about a dozen, every 37th
 * span an error. Deterministic for a given seed.
 */
public final class LargeTrace {

  private static final long MS = 1_000_000L;

  private LargeTrace() {}

  public static List<Span> of(
      TraceId traceId, String servicePrefix, long startNanos, int count, long seed) {
    Random random = new Random(seed);
    List<Span> spans = new ArrayList<>(count);
    long[] starts = new long[count];
    long[] ends = new long[count];
    int[] depth = new int[count];
    int[] parents = new int[count];
    SpanId[] ids = new SpanId[count];
    for (int i = 0; i < count; i++) {
      ids[i] = SpanFixtures.derivedSpanId(traceId, i + 1);
      int parent = -1;
      if (i == 0) {
        starts[i] = startNanos;
        ends[i] = startNanos + 1_500 * MS;
      } else {
        // Prefer recent spans as parents (deep chains); past depth 12, hang under an ancestor.
        parent = i - 1 - (int) Math.min(i - 1, Math.abs(random.nextGaussian()) * 20);
        while (depth[parent] >= 12) parent = parents[parent];
        parents[i] = parent;
        depth[i] = depth[parent] + 1;
        long parentDuration = Math.max(ends[parent] - starts[parent], 2);
        starts[i] = starts[parent] + (long) (random.nextDouble() * parentDuration * 0.6);
        long room = ends[parent] - starts[i];
        ends[i] = starts[i] + Math.max(1, (long) (room * (0.2 + 0.7 * random.nextDouble())));
      }
      String service = servicePrefix + "svc-" + (i == 0 ? 0 : 1 + random.nextInt(9));
      SpanFixtures.SpanBuilder span =
          SpanFixtures.span(traceId, service, (i == 0 ? "GET /big" : "op-" + (i % 50)))
              .spanId(ids[i])
              .kind(i == 0 ? SpanKind.SERVER : i % 2 == 0 ? SpanKind.CLIENT : SpanKind.INTERNAL)
              .start(starts[i])
              .end(ends[i])
              .attributes(
                  List.of(Attribute.of("span.index", i), Attribute.of("component", "large-trace")));
      if (parent >= 0) span.parent(ids[parent]);
      if (i > 0 && i % 37 == 0) span.error("failure " + i);
      spans.add(span.build());
    }
    return spans;
  }
}
