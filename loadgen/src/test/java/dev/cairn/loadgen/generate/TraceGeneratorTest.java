package dev.cairn.loadgen.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

  private static final long END = 1_764_000_000_000_000_000L;

  private static TraceGenerator generator(GeneratorConfig config, long seed) {
    return new TraceGenerator(
        config,
        Topology.create(config, new SplittableRandom(seed)),
        new SplittableRandom(seed + 1));
  }

  private static GeneratorConfig config(
      int services, int depth, int fanout, int maxSpans, double errors) {
    return new GeneratorConfig(services, 4, 3, depth, fanout, maxSpans, 8, errors);
  }

  @Test
  void everyTraceIsOneTreeWithinTheSpanBound() {
    for (int maxSpans : new int[] {1, 2, 7, 50, 400}) {
      TraceGenerator generator = generator(config(30, 6, 5, maxSpans, 0.1), maxSpans);
      for (int i = 0; i < 500; i++) {
        GeneratedTrace trace = generator.next(END);
        List<Span> spans = spans(trace);
        assertThat(spans).hasSizeBetween(1, maxSpans);
        assertThat(spans.stream().filter(s -> s.getParentSpanId().isEmpty())).hasSize(1);
        Map<ByteString, Span> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.getSpanId(), s));
        assertThat(byId).as("span ids are unique").hasSameSizeAs(spans);
        for (Span span : spans) {
          assertThat(span.getTraceId().toByteArray()).isEqualTo(trace.traceId());
          if (!span.getParentSpanId().isEmpty()) {
            Span parent = byId.get(span.getParentSpanId());
            assertThat(parent).as("parent of %s exists", span.getName()).isNotNull();
            assertThat(span.getStartTimeUnixNano())
                .isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
            assertThat(span.getEndTimeUnixNano()).isLessThanOrEqualTo(parent.getEndTimeUnixNano());
          }
          assertThat(span.getEndTimeUnixNano()).isGreaterThanOrEqualTo(span.getStartTimeUnixNano());
        }
        Span root = spans.get(0);
        assertThat(root.getParentSpanId().isEmpty()).isTrue();
        assertThat(root.getEndTimeUnixNano()).isEqualTo(END);
      }
    }
  }

  @Test
  void idsAreNonZeroWithRandomLow56Bits() {
    TraceGenerator generator = generator(GeneratorConfig.defaults(), 7);
    Set<String> traceIds = new HashSet<>();
    long lowBitsOr = 0;
    long lowBitsAnd = -1;
    for (int i = 0; i < 2000; i++) {
      GeneratedTrace trace = generator.next(END);
      assertThat(trace.traceId()).hasSize(16).isNotEqualTo(new byte[16]);
      traceIds.add(TraceIds.hex(trace.traceId()));
      long low = ByteBuffer.wrap(trace.traceId(), 8, 8).getLong() & 0x00FF_FFFF_FFFF_FFFFL;
      lowBitsOr |= low;
      lowBitsAnd &= low;
      for (Span span : spans(trace)) {
        assertThat(span.getSpanId().size()).isEqualTo(8);
        assertThat(span.getSpanId().toByteArray()).isNotEqualTo(new byte[8]);
      }
    }
    assertThat(traceIds).hasSize(2000);
    assertThat(lowBitsOr)
        .as("every one of the 56 bits is sometimes set")
        .isEqualTo(0x00FF_FFFF_FFFF_FFFFL);
    assertThat(lowBitsAnd).as("and sometimes clear").isZero();
  }

  @Test
  void errorRatioIsHonouredOverManyTraces() {
    TraceGenerator generator = generator(config(20, 4, 3, 50, 0.2), 11);
    int traces = 5000;
    int failed = 0;
    for (int i = 0; i < traces; i++) {
      GeneratedTrace trace = generator.next(END);
      List<Span> spans = spans(trace);
      boolean anyError =
          spans.stream()
              .anyMatch(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
      long exceptions =
          spans.stream()
              .flatMap(s -> s.getEventsList().stream())
              .filter(e -> e.getName().equals("exception"))
              .count();
      assertThat(anyError).isEqualTo(trace.hasError());
      assertThat(exceptions).isEqualTo(trace.hasError() ? 1 : 0);
      if (anyError) {
        failed++;
        assertThat(spans.get(0).getStatus().getCode())
            .as("the failure propagates to the root")
            .isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      }
    }
    // binomial(5000, 0.2): sd ≈ 28 traces; 0.03 is more than 5 sd
    assertThat(failed / (double) traces).isCloseTo(0.2, offset(0.03));
    assertThat(failedWithRatio(0.0)).isZero();
    assertThat(failedWithRatio(1.0)).isEqualTo(300);
  }

  private static int failedWithRatio(double ratio) {
    TraceGenerator generator = generator(config(5, 3, 2, 20, ratio), 3);
    int failed = 0;
    for (int i = 0; i < 300; i++) {
      failed += generator.next(END).hasError() ? 1 : 0;
    }
    return failed;
  }

  @Test
  void usesExactlyTheConfiguredServices() {
    GeneratorConfig config = config(12, 5, 3, 100, 0);
    TraceGenerator generator = generator(config, 5);
    Set<String> seen = new HashSet<>();
    Set<String> instances = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      for (GeneratedSpan span : generator.next(END).spans()) {
        seen.add(span.instance().serviceName());
        instances.add(
            attribute(span.instance().resource().getAttributesList(), "service.instance.id"));
        assertThat(attribute(span.instance().resource().getAttributesList(), "service.name"))
            .isEqualTo(span.instance().serviceName());
      }
    }
    assertThat(seen).hasSize(12).allMatch(name -> name.matches("svc-0(0\\d|1[01])"));
    assertThat(instances).hasSize(12 * 3);
  }

  @Test
  void depthBoundsTheChainOfServiceHops() {
    TraceGenerator generator = generator(config(40, 3, 4, 1000, 0), 9);
    int deepest = 0;
    for (int i = 0; i < 500; i++) {
      List<Span> spans = spans(generator.next(END));
      Map<ByteString, Span> byId =
          spans.stream().collect(Collectors.toMap(Span::getSpanId, s -> s));
      for (Span span : spans) {
        int hops = 0;
        for (Span s = span; s != null; s = byId.get(s.getParentSpanId())) {
          hops += s.getKind() == Span.SpanKind.SPAN_KIND_SERVER ? 1 : 0;
        }
        deepest = Math.max(deepest, hops);
      }
    }
    assertThat(deepest).isEqualTo(3);
  }

  @Test
  void spansCarryTheConfiguredNumberOfMixedTypeAttributes() {
    GeneratorConfig config = new GeneratorConfig(10, 3, 1, 4, 3, 60, 12, 0.5);
    TraceGenerator generator = generator(config, 21);
    Set<AnyValue.ValueCase> valueCases = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      for (Span span : spans(generator.next(END))) {
        assertThat(span.getAttributesList()).hasSize(12);
        assertThat(span.getAttributesList().stream().map(KeyValue::getKey).distinct()).hasSize(12);
        span.getAttributesList().forEach(a -> keys.add(a.getKey()));
        span.getAttributesList().forEach(a -> valueCases.add(a.getValue().getValueCase()));
      }
    }
    assertThat(keys)
        .contains("http.method", "http.route", "http.status_code", "peer.service", "db.system");
    assertThat(valueCases)
        .contains(
            AnyValue.ValueCase.STRING_VALUE,
            AnyValue.ValueCase.INT_VALUE,
            AnyValue.ValueCase.DOUBLE_VALUE,
            AnyValue.ValueCase.BOOL_VALUE,
            AnyValue.ValueCase.ARRAY_VALUE);
  }

  @Test
  void clientSpansHaveAServerChildInTheCalledService() {
    TraceGenerator generator = generator(config(20, 4, 3, 80, 0), 13);
    int pairs = 0;
    for (int i = 0; i < 300; i++) {
      GeneratedTrace trace = generator.next(END);
      Map<ByteString, GeneratedSpan> byId = new HashMap<>();
      trace.spans().forEach(s -> byId.put(s.span().getSpanId(), s));
      for (GeneratedSpan child : trace.spans()) {
        GeneratedSpan parent = byId.get(child.span().getParentSpanId());
        if (child.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER && parent != null) {
          pairs++;
          assertThat(parent.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
          assertThat(parent.instance().serviceName()).isNotEqualTo(child.instance().serviceName());
          assertThat(attribute(parent.span().getAttributesList(), "peer.service"))
              .isEqualTo(child.instance().serviceName());
        }
      }
    }
    assertThat(pairs).isGreaterThan(300);
  }

  @Test
  void sameSeedGivesSameTraces() {
    GeneratorConfig config = GeneratorConfig.defaults();
    TraceGenerator a = generator(config, 99);
    TraceGenerator b = generator(config, 99);
    for (int i = 0; i < 50; i++) {
      assertThat(spans(a.next(END))).isEqualTo(spans(b.next(END)));
    }
  }

  private static List<Span> spans(GeneratedTrace trace) {
    return trace.spans().stream().map(GeneratedSpan::span).toList();
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }
}
