package dev.cairn.query.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FederatedMergeTest {

  static final TraceId TRACE = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");

  static Span span(long id, long start) {
    return new Span(
        TRACE,
        new SpanId(id),
        Optional.empty(),
        "",
        1,
        "op-" + id,
        SpanKind.INTERNAL,
        start,
        start + 10,
        List.of(),
        0,
        List.of(),
        0,
        List.of(),
        0,
        SpanStatus.UNSET,
        new Resource(List.of(), 0, ""),
        InstrumentationScope.EMPTY);
  }

  static TraceSummary summary(String hexId, long start, String service) {
    return new TraceSummary(
        TraceId.fromHex(hexId), start, start + 100, service, "op", 2, 0, List.of(service));
  }

  static String id(int n) {
    return String.format("%032x", n);
  }

  @Test
  void spansOfATraceCrossingRegionsComeBackWholeInStoreOrderEachSpanOnce() {
    TraceSpans here = new TraceSpans(List.of(span(1, 100), span(3, 300)), false, 2);
    // Span 3 was also stored in the other region (a replayed export): kept once.
    TraceSpans there =
        new TraceSpans(List.of(span(2, 200), span(3, 300), span(4, 300)), false, 3, 1);

    TraceSpans merged = FederatedMerge.spans(List.of(here, there), 100);

    assertThat(merged.spans()).extracting(s -> s.spanId().value()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(merged.truncated()).isFalse();
    assertThat(merged.storedSpanCount()).isEqualTo(4);
    assertThat(merged.lateSpanCount()).isEqualTo(1);
  }

  @Test
  void spansOrderSpanIdsUnsignedAsTheStoreDoes() {
    TraceSpans here = new TraceSpans(List.of(span(-1, 100)), false, 1);
    TraceSpans there = new TraceSpans(List.of(span(5, 100)), false, 1);

    assertThat(FederatedMerge.spans(List.of(here, there), 10).spans())
        .extracting(s -> s.spanId().value())
        .containsExactly(5L, -1L);
  }

  @Test
  void spansAboveTheCapKeepTheEarliestAndSayTruncated() {
    TraceSpans here = new TraceSpans(List.of(span(1, 100), span(4, 400)), false, 2);
    TraceSpans there = new TraceSpans(List.of(span(2, 200), span(3, 300)), false, 2);

    TraceSpans merged = FederatedMerge.spans(List.of(here, there), 3);

    assertThat(merged.spans()).extracting(s -> s.spanId().value()).containsExactly(1L, 2L, 3L);
    assertThat(merged.truncated()).isTrue();
    assertThat(merged.storedSpanCount()).isEqualTo(4);
  }

  @Test
  void aRegionThatTruncatedKeepsTheMergeTruncated() {
    TraceSpans here = new TraceSpans(List.of(span(1, 100)), true, 5000);
    TraceSpans there = TraceSpans.ABSENT;

    TraceSpans merged = FederatedMerge.spans(List.of(here, there), 10);

    assertThat(merged.truncated()).isTrue();
    assertThat(merged.storedSpanCount()).isEqualTo(5000);
  }

  @Test
  void noSpanAnywhereIsAbsent() {
    assertThat(FederatedMerge.spans(List.of(TraceSpans.ABSENT, TraceSpans.ABSENT), 10).isEmpty())
        .isTrue();
  }

  @Test
  void pagesMergeNewestFirstWithTraceIdDescendingOnEqualStarts() {
    TracePage here =
        new TracePage(
            List.of(summary(id(1), 500, "a"), summary(id(2), 300, "a")), Optional.empty());
    TracePage there =
        new TracePage(
            List.of(summary(id(3), 500, "b"), summary(id(4), 400, "b")), Optional.empty());

    TracePage merged = FederatedMerge.pages(List.of(here, there), 10);

    assertThat(merged.traces())
        .extracting(s -> s.traceId().toHex())
        .containsExactly(id(3), id(1), id(4), id(2));
    assertThat(merged.next()).isEmpty();
  }

  @Test
  void aTraceFoundInTwoRegionsIsOneSummary() {
    TraceSummary here = summary(id(7), 300, "frontend");
    TraceSummary there =
        new TraceSummary(
            TraceId.fromHex(id(7)), 320, 900, "billing", "charge", 3, 1, List.of("billing"));

    TracePage merged =
        FederatedMerge.pages(
            List.of(
                new TracePage(List.of(here), Optional.empty()),
                new TracePage(List.of(there), Optional.empty())),
            10);

    assertThat(merged.traces()).hasSize(1);
    TraceSummary one = merged.traces().get(0);
    assertThat(one.startTimeUnixNano()).isEqualTo(300);
    assertThat(one.endTimeUnixNano()).isEqualTo(900);
    assertThat(one.rootServiceName()).isEqualTo("frontend");
    assertThat(one.spanCount()).isEqualTo(5);
    assertThat(one.errorCount()).isEqualTo(1);
    assertThat(one.services()).containsExactly("billing", "frontend");
  }

  @Test
  void aPageStopsWhereAFullRegionMayHaveUnseenResults() {
    // Region A's page is full: after its last result (start 400) it may have more, so B's
    // result at 350 cannot be placed yet; it comes on the next page.
    TracePage a =
        new TracePage(
            List.of(summary(id(1), 500, "a"), summary(id(2), 400, "a")),
            Optional.of(new SearchCursor(400, TraceId.fromHex(id(2)))));
    TracePage b = new TracePage(List.of(summary(id(3), 350, "b")), Optional.empty());

    TracePage merged = FederatedMerge.pages(List.of(a, b), 2);

    assertThat(merged.traces()).extracting(s -> s.traceId().toHex()).containsExactly(id(1), id(2));
    assertThat(merged.next()).contains(new SearchCursor(400, TraceId.fromHex(id(2))));
  }

  @Test
  void aTraceMovedLaterByItsEarlierPartInAnotherRegionDoesNotMakeThePageSkipResults() {
    // Region A is full and has t3 (at 390) after t2 (at 400); t2 also has spans in B that start
    // at 100, so the merged t2 sorts at 100. Placing it would move the cursor past t3.
    TracePage a =
        new TracePage(
            List.of(summary(id(1), 500, "a"), summary(id(2), 400, "a")),
            Optional.of(new SearchCursor(400, TraceId.fromHex(id(2)))));
    TracePage b = new TracePage(List.of(summary(id(2), 100, "b")), Optional.empty());

    TracePage first = FederatedMerge.pages(List.of(a, b), 2);

    assertThat(first.traces()).extracting(s -> s.traceId().toHex()).containsExactly(id(1));
    assertThat(first.next()).contains(new SearchCursor(500, TraceId.fromHex(id(1))));

    // The next page, each region strictly after (500, t1): t3 comes before the merged t2.
    TracePage a2 =
        new TracePage(
            List.of(summary(id(2), 400, "a"), summary(id(3), 390, "a")), Optional.empty());
    TracePage second = FederatedMerge.pages(List.of(a2, b), 2);

    assertThat(second.traces()).extracting(s -> s.traceId().toHex()).containsExactly(id(3), id(2));
    assertThat(second.next()).isEmpty();
  }

  @Test
  void moreMergedResultsThanTheLimitContinueFromTheLastShown() {
    TracePage a = new TracePage(List.of(summary(id(1), 500, "a")), Optional.empty());
    TracePage b =
        new TracePage(
            List.of(summary(id(2), 450, "b"), summary(id(3), 300, "b")), Optional.empty());

    TracePage merged = FederatedMerge.pages(List.of(a, b), 2);

    assertThat(merged.traces()).extracting(s -> s.traceId().toHex()).containsExactly(id(1), id(2));
    assertThat(merged.next()).contains(new SearchCursor(450, TraceId.fromHex(id(2))));
  }

  /**
   * Paging through several regions with the federated cursor yields exactly what one store holding
   * all their traces would: each trace once, in the global order.
   */
  @Test
  void pagingWithTheFederatedCursorVisitsEveryTraceOnceInGlobalOrder() {
    Random random = new Random(42);
    List<List<TraceSummary>> regions = new ArrayList<>();
    List<TraceSummary> all = new ArrayList<>();
    int n = 0;
    for (int r = 0; r < 3; r++) {
      List<TraceSummary> region = new ArrayList<>();
      for (int i = 0; i < 40 + r * 7; i++) {
        // Few distinct starts, so that equal starts are ordered by trace id.
        TraceSummary s = summary(id(++n * 7919 % 100_003), random.nextInt(30), "r" + r);
        region.add(s);
        all.add(s);
      }
      region.sort(FederatedMerge.NEWEST_FIRST);
      regions.add(region);
    }
    all.sort(FederatedMerge.NEWEST_FIRST);

    for (int limit : new int[] {1, 5, 20, 200}) {
      List<TraceSummary> seen = new ArrayList<>();
      Optional<SearchCursor> cursor = Optional.empty();
      int pages = 0;
      do {
        Optional<SearchCursor> after = cursor;
        List<TracePage> answers =
            regions.stream().map(region -> StoreModel.page(region, after, limit)).toList();
        TracePage page = FederatedMerge.pages(answers, limit);
        assertThat(page.traces().size()).isLessThanOrEqualTo(limit);
        seen.addAll(page.traces());
        cursor = page.next();
        assertThat(++pages).isLessThan(1000);
      } while (cursor.isPresent());
      assertThat(seen).as("limit %d", limit).containsExactlyElementsOf(all);
    }
  }

  @Test
  void servicesAndOperationsAreUnitedSortedEachOnce() {
    assertThat(FederatedMerge.services(List.of(List.of("b", "d"), List.of("a", "b"))))
        .containsExactly("a", "b", "d");
    assertThat(
            FederatedMerge.operations(
                List.of(
                    List.of(new Operation("get", SpanKind.SERVER)),
                    List.of(
                        new Operation("get", SpanKind.CLIENT),
                        new Operation("get", SpanKind.SERVER),
                        new Operation("add", SpanKind.INTERNAL)))))
        .containsExactly(
            new Operation("add", SpanKind.INTERNAL),
            new Operation("get", SpanKind.SERVER),
            new Operation("get", SpanKind.CLIENT));
  }

  /** One region's store as the search contract describes it: strictly after the cursor. */
  static final class StoreModel {
    static TracePage page(List<TraceSummary> sorted, Optional<SearchCursor> after, int limit) {
      List<TraceSummary> rest =
          sorted.stream()
              .filter(
                  s ->
                      after.isEmpty()
                          || FederatedMerge.NEWEST_FIRST.compare(
                                  s, atCursor(after.get(), s.services()))
                              > 0)
              .toList();
      List<TraceSummary> page = rest.subList(0, Math.min(limit, rest.size()));
      Optional<SearchCursor> next =
          rest.size() > limit
              ? Optional.of(FederatedMerge.cursorAt(page.get(page.size() - 1)))
              : Optional.empty();
      return new TracePage(page, next);
    }

    private static TraceSummary atCursor(SearchCursor c, List<String> services) {
      return new TraceSummary(c.traceId(), c.startTimeUnixNano(), 0, "", "", 0, 0, services);
    }
  }
}
