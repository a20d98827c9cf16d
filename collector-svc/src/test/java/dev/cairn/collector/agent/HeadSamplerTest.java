package dev.cairn.collector.agent;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HeadSamplerTest {

  private static List<Span> spans(List<ResourceSpans> batch) {
    List<Span> all = new ArrayList<>();
    batch.forEach(r -> r.getScopeSpansList().forEach(s -> all.addAll(s.getSpansList())));
    return all;
  }

  private static TraceId id(ByteString bytes) {
    return TraceId.fromBytes(bytes.toByteArray());
  }

  @Test
  void keepsExactlyWhatTheConsistentSamplerKeepsAndWritesTheThreshold() {
    List<Span> input = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      input.add(span(randomTraceId(), "s" + i).build());
    }
    HeadSampler sampler = new HeadSampler(0.1);

    HeadSampler.Sampled sampled = sampler.sample(List.of(resourceSpans("svc", input)));

    ConsistentSampler reference = ConsistentSampler.withProbability(0.1);
    List<String> expected =
        input.stream()
            .filter(s -> reference.keeps(id(s.getTraceId()), ""))
            .map(Span::getName)
            .toList();
    List<Span> kept = spans(sampled.kept());
    assertThat(kept).extracting(Span::getName).containsExactlyElementsOf(expected);
    assertThat(sampled.keptSpans()).isEqualTo(expected.size());
    assertThat(sampled.droppedSpans()).isEqualTo(input.size() - expected.size());
    // Everything downstream weighs a kept span by 10.
    assertThat(kept)
        .allSatisfy(
            s ->
                assertThat(ConsistentSampler.adjustedCount(s.getTraceState()))
                    .isCloseTo(10.0, within(1e-9)));
  }

  @Test
  void spansOfOneTraceShareTheirFateAcrossAgents() {
    // Two agents, each seeing only its own service's spans of the same traces.
    List<Span> frontend = new ArrayList<>();
    List<Span> backend = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ByteString trace = randomTraceId();
      frontend.add(span(trace, "front").build());
      backend.add(span(trace, "back").build());
    }

    List<Span> keptFront =
        spans(new HeadSampler(0.25).sample(List.of(resourceSpans("f", frontend))).kept());
    List<Span> keptBack =
        spans(new HeadSampler(0.25).sample(List.of(resourceSpans("b", backend))).kept());

    assertThat(keptFront).extracting(Span::getTraceId).isNotEmpty();
    assertThat(keptFront)
        .extracting(Span::getTraceId)
        .containsExactlyElementsOf(keptBack.stream().map(Span::getTraceId).toList());
  }

  @Test
  void anUpstreamThresholdIsHonoured() {
    // R = 0x90..., kept at 50 % on its own, but upstream sampled at 25 % (th:c).
    ByteString trace = ByteString.copyFrom(new TraceId(1, 0x0090000000000000L).toBytes());
    Span upstreamDropped = span(trace, "x").setTraceState("ot=th:c").build();
    Span alone = span(trace, "y").build();

    HeadSampler.Sampled sampled =
        new HeadSampler(0.5).sample(List.of(resourceSpans("svc", List.of(upstreamDropped, alone))));

    assertThat(spans(sampled.kept())).extracting(Span::getName).containsExactly("y");
    assertThat(spans(sampled.kept()).get(0).getTraceState()).isEqualTo("ot=th:8");
  }

  @Test
  void atProbabilityOneSpansAndTheirGroupsPassUnchanged() {
    ResourceSpans a = resourceSpans("a", List.of(span(randomTraceId(), "1").build()));
    ResourceSpans b =
        resourceSpans(
            "b",
            List.of(
                span(randomTraceId(), "2").setTraceState("vendor=x").build(),
                span(randomTraceId(), "3").build()));

    HeadSampler.Sampled sampled = new HeadSampler(1.0).sample(List.of(a, b));

    assertThat(sampled.kept()).hasSize(2);
    assertThat(sampled.kept().get(0)).isSameAs(a);
    assertThat(sampled.kept().get(1)).isSameAs(b);
    assertThat(sampled.keptSpans()).isEqualTo(3);
    assertThat(sampled.droppedSpans()).isZero();
  }

  @Test
  void groupsLeftEmptyAreLeftOut() {
    HeadSampler none = new HeadSampler(0.0);
    HeadSampler.Sampled sampled =
        none.sample(List.of(resourceSpans("a", List.of(span(randomTraceId(), "1").build()))));

    assertThat(sampled.kept()).isEmpty();
    assertThat(sampled.droppedSpans()).isEqualTo(1);
  }

  @Test
  void keptSpansStayUnderTheirResourceAndScope() {
    List<Span> input = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      input.add(span(randomTraceId(), "s" + i).build());
    }
    ResourceSpans group = resourceSpans("svc", input);

    List<ResourceSpans> kept = new HeadSampler(0.5).sample(List.of(group)).kept();

    assertThat(kept)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResource()).isEqualTo(group.getResource());
              assertThat(r.getScopeSpans(0).getScope())
                  .isEqualTo(group.getScopeSpans(0).getScope());
            });
    Map<String, Span> byName =
        input.stream().collect(Collectors.toMap(Span::getName, Function.identity()));
    assertThat(spans(kept))
        .allSatisfy(s -> assertThat(s.getSpanId()).isEqualTo(byName.get(s.getName()).getSpanId()));
  }
}
