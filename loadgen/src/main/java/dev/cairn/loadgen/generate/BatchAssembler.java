package dev.cairn.loadgen.generate;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects whole traces into one export request, grouping spans per resource (one {@code
 * ResourceSpans} per service replica) as an exporting SDK or collector does. Traces are never split
 * across requests, so a request may hold fewer spans than the limit.
 */
public final class BatchAssembler {

  /** The instrumentation scope of every generated span. */
  public static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("dev.cairn.loadgen").setVersion("0.1.0").build();

  private final int maxSpans;
  // identity: each replica is one object, and Resource equality would hash every attribute
  private final Map<ServiceInstance, List<Span>> byResource = new IdentityHashMap<>();
  private final List<SampledTrace> sampled = new ArrayList<>();
  private int spanCount;
  private int traceCount;

  public BatchAssembler(int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be >= 1: " + maxSpans);
    }
    this.maxSpans = maxSpans;
  }

  /** Whether {@code trace} fits; an empty batch takes any trace, even one above the limit. */
  public boolean fits(GeneratedTrace trace) {
    return spanCount == 0 || spanCount + trace.spanCount() <= maxSpans;
  }

  public boolean isFull() {
    return spanCount >= maxSpans;
  }

  public boolean isEmpty() {
    return spanCount == 0;
  }

  public void add(GeneratedTrace trace, boolean sample) {
    for (GeneratedSpan span : trace.spans()) {
      byResource.computeIfAbsent(span.instance(), k -> new ArrayList<>()).add(span.span());
    }
    spanCount += trace.spanCount();
    traceCount++;
    if (sample) {
      sampled.add(SampledTrace.of(trace));
    }
  }

  /** The request of everything added so far; the assembler is empty afterwards. */
  public ExportBatch drain() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<ServiceInstance, List<Span>> entry : byResource.entrySet()) {
      request.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(entry.getKey().resource())
              .addScopeSpans(
                  ScopeSpans.newBuilder().setScope(SCOPE).addAllSpans(entry.getValue())));
    }
    ExportBatch batch = new ExportBatch(request.build(), spanCount, traceCount, sampled);
    byResource.clear();
    sampled.clear();
    spanCount = 0;
    traceCount = 0;
    return batch;
  }
}
