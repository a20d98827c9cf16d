package dev.cairn.loadgen.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchSourceTest {

  private static BatchSource source(int batchSize, int maxSpansPerTrace, double sample) {
    GeneratorConfig config = new GeneratorConfig(15, 3, 2, 4, 3, maxSpansPerTrace, 6, 0.05);
    SplittableRandom random = new SplittableRandom(4);
    TraceGenerator generator =
        new TraceGenerator(config, Topology.create(config, new SplittableRandom(3)), random);
    return new BatchSource(generator, batchSize, () -> 1_000_000_000_000L, random, sample);
  }

  @Test
  void batchesHoldWholeTracesGroupedPerResourceUpToTheBatchSize() {
    BatchSource source = source(200, 40, 0);
    Set<String> traceIdsSeen = new HashSet<>();
    for (int b = 0; b < 50; b++) {
      ExportBatch batch = source.next();
      ExportTraceServiceRequest request = batch.request();
      List<Span> spans =
          request.getResourceSpansList().stream()
              .flatMap(r -> r.getScopeSpansList().stream())
              .flatMap(s -> s.getSpansList().stream())
              .toList();
      assertThat(spans).hasSize(batch.spanCount());
      assertThat(batch.spanCount()).isBetween(1, 200);
      Set<String> resourceKeys = new HashSet<>();
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        String instanceId =
            attribute(resourceSpans.getResource().getAttributesList(), "service.instance.id");
        assertThat(resourceKeys.add(instanceId)).as("one ResourceSpans per replica").isTrue();
        assertThat(resourceSpans.getScopeSpansList()).hasSize(1);
      }
      Set<String> traceIdsInBatch = new HashSet<>();
      spans.forEach(s -> traceIdsInBatch.add(TraceIds.hex(s.getTraceId().toByteArray())));
      assertThat(traceIdsInBatch).hasSize(batch.traceCount());
      // whole traces: no trace continues in a later batch
      for (String traceId : traceIdsInBatch) {
        assertThat(traceIdsSeen.add(traceId)).isTrue();
      }
    }
  }

  @Test
  void traceLargerThanTheBatchGoesAlone() {
    BatchSource source = source(3, 60, 0);
    for (int b = 0; b < 30; b++) {
      ExportBatch batch = source.next();
      assertThat(batch.traceCount()).isGreaterThanOrEqualTo(1);
      if (batch.spanCount() > 3) {
        assertThat(batch.traceCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void samplesTheRequestedShareOfTraces() {
    BatchSource source = source(512, 30, 0.25);
    int traces = 0;
    int sampled = 0;
    for (int b = 0; b < 100; b++) {
      ExportBatch batch = source.next();
      traces += batch.traceCount();
      sampled += batch.sampled().size();
      batch.sampled().forEach(t -> assertThat(t.traceIdHex()).matches("[0-9a-f]{32}"));
    }
    assertThat(sampled / (double) traces).isBetween(0.2, 0.3);
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElseThrow();
  }
}
