package dev.cairn.loadgen.bulk;

import static dev.cairn.loadgen.bulk.BulkFixtures.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.loadgen.generate.Skew;
import dev.cairn.model.wire.RetentionClass;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SliceTracesTest {

  @Test
  void aSliceIsTheSameWhoeverGeneratesItAndInWhateverOrder() {
    BulkPlan plan = BulkFixtures.plan(200_000, 24, 11);
    SliceTraces first = BulkFixtures.slices(plan);
    List<Span> slice3 = spans(first.all(3));
    first.all(7);
    SliceTraces second = BulkFixtures.slices(plan);
    second.all(9);
    assertThat(spans(second.all(3))).isEqualTo(slice3).isNotEmpty();
    assertThat(spans(second.all(4))).isNotEqualTo(slice3);
    assertThat(spans(BulkFixtures.slices(BulkFixtures.plan(200_000, 24, 12)).all(3)))
        .as("another seed")
        .isNotEqualTo(slice3);
  }

  @Test
  void slicesDoNotRepeatEachOther() {
    BulkPlan plan = BulkFixtures.plan(100_000, 24, 11);
    SliceTraces slices = BulkFixtures.slices(plan);
    Set<String> ids = new HashSet<>();
    int traces = 0;
    for (int j = 0; j < plan.slices(); j++) {
      for (GeneratedTrace trace : slices.all(j)) {
        ids.add(dev.cairn.loadgen.generate.TraceIds.hex(trace.traceId()));
        traces++;
      }
    }
    assertThat(ids).hasSize(traces);
  }

  @Test
  void tracesEndInsideTheirSliceAndFillEveryHourOfTheWindow() {
    BulkPlan plan = BulkFixtures.plan(200_000, 48, 3);
    SliceTraces slices = BulkFixtures.slices(plan);
    Set<Long> hours = new HashSet<>();
    long spans = 0;
    for (int j = 0; j < plan.slices(); j++) {
      long sliceSpans = 0;
      for (GeneratedTrace trace : slices.all(j)) {
        long end = trace.spans().get(0).span().getEndTimeUnixNano();
        assertThat(end).isGreaterThanOrEqualTo(plan.sliceStart(j)).isLessThan(plan.sliceEnd(j));
        hours.add((end - plan.windowStartNanos()) / HOUR);
        sliceSpans += trace.spanCount();
      }
      assertThat(sliceSpans)
          .isGreaterThanOrEqualTo(plan.spansOf(j))
          .isLessThan(plan.spansOf(j) + BulkFixtures.CONFIG.maxSpansPerTrace());
      spans += sliceSpans;
    }
    assertThat(hours).hasSize(48);
    assertThat(spans).isBetween(200_000L, 200_000L + 60L * plan.slices());
  }

  @Test
  void valuesAreSkewedAndBothRetentionClassesOccur() {
    BulkPlan plan = BulkFixtures.plan(400_000, 24, 5);
    SliceTraces slices = BulkFixtures.slices(plan);
    RetentionRule rule = new RetentionRule(1_000_000_000L);
    Map<String, Integer> customers = new HashMap<>();
    Map<String, Integer> roots = new HashMap<>();
    Map<RetentionClass, Integer> classes = new HashMap<>();
    int traces = 0;
    int errors = 0;
    for (int j = 0; j < plan.slices(); j++) {
      for (GeneratedTrace trace : slices.all(j)) {
        traces++;
        errors += trace.hasError() ? 1 : 0;
        customers.merge(trace.customerId(), 1, Integer::sum);
        roots.merge(trace.rootService() + " " + trace.rootOperation(), 1, Integer::sum);
        RetentionClass c = rule.classify(trace);
        classes.merge(c, 1, Integer::sum);
        if (trace.hasError()) {
          assertThat(c).isEqualTo(RetentionClass.EXTENDED);
        }
        for (var span : trace.spans()) {
          boolean server = span.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER;
          assertThat(
                  span.span().getAttributesList().stream()
                      .anyMatch(
                          a ->
                              a.getKey().equals(Skew.CUSTOMER_KEY)
                                  && a.getValue().getStringValue().equals(trace.customerId())))
              .as("the customer id on server spans only")
              .isEqualTo(server);
        }
      }
    }
    double common = customers.get(Skew.customerId(1)) / (double) traces;
    assertThat(common).as("the commonest customer").isBetween(0.08, 0.2);
    long once = customers.values().stream().filter(n -> n == 1).count();
    assertThat(once).as("customers seen once: the rare tail").isGreaterThan(customers.size() / 3);
    List<Integer> rootCounts = new ArrayList<>(roots.values());
    rootCounts.sort(null);
    assertThat(rootCounts.get(rootCounts.size() - 1))
        .as("the commonest root operation against the median one")
        .isGreaterThan(10 * rootCounts.get(rootCounts.size() / 2));
    assertThat(errors / (double) traces).isBetween(0.01, 0.03);
    assertThat(classes.get(RetentionClass.EXTENDED) / (double) traces).isBetween(0.01, 0.2);
    assertThat(classes.get(RetentionClass.STANDARD)).isGreaterThan(traces / 2);
  }

  private static List<Span> spans(List<GeneratedTrace> traces) {
    List<Span> spans = new ArrayList<>();
    traces.forEach(t -> t.spans().forEach(s -> spans.add(s.span())));
    return spans;
  }
}
