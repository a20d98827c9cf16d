package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.BatchAssembler;
import dev.cairn.loadgen.generate.GeneratedSpan;
import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.loadgen.generate.ServiceInstance;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns generated OTLP spans into the model spans storage-svc hands its writer, with trace-model's
 * {@link OtlpSpanMapper} (the mapping storage-svc applies to each Kafka record). A replica's
 * resource is converted once. Not thread-safe (one per thread).
 */
public final class ModelSpans {

  private static final InstrumentationScope SCOPE =
      OtlpSpanMapper.toScope(ScopeSpans.newBuilder().setScope(BatchAssembler.SCOPE).build());

  // identity: each replica is one object of the topology
  private final Map<ServiceInstance, Resource> resources = new IdentityHashMap<>();

  public List<Span> of(GeneratedTrace trace) {
    Span[] spans = new Span[trace.spanCount()];
    int i = 0;
    for (GeneratedSpan span : trace.spans()) {
      spans[i++] = OtlpSpanMapper.toSpan(span.span(), resource(span.instance()), SCOPE);
    }
    return List.of(spans);
  }

  private Resource resource(ServiceInstance instance) {
    return resources.computeIfAbsent(
        instance,
        r ->
            OtlpSpanMapper.toResource(
                ResourceSpans.newBuilder().setResource(r.resource()).build()));
  }
}
