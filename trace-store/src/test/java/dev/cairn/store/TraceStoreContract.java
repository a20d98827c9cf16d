package dev.cairn.store;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SpanWriter} / {@link TraceReader} pair keeps. A backend's test extends
 * this class and supplies the pair. Data of each test lies in its own time window and uses its own
 * service names, so runs may share a database.
 */
public abstract class TraceStoreContract {

  private static final long MINUTE = 60_000_000_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A random hour of 2021, then consecutive 10-minute windows, one per test. */
  private static final AtomicLong NEXT_WINDOW =
      new AtomicLong(
          Instant.parse("2021-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L
              + ThreadLocalRandom.current().nextLong(8000) * 60 * MINUTE);

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  protected abstract SpanWriter writer();

  protected abstract TraceReader reader();

  // ------------------------------------------------------------------ helpers

  private static long window() {
    return window(10 * MINUTE);
  }

  /** A window of its own, {@code length} long. */
  private static long window(long length) {
    return NEXT_WINDOW.getAndAdd(length);
  }

  private String service(String name) {
    return name + "-" + run;
  }

  /** A cap above any trace these tests write. */
  private static final int NO_CAP = 10_000;

  private List<Span> find(TraceId id) {
    return find(id, NO_CAP).spans();
  }

  private TraceSpans find(TraceId id, int maxSpans) {
    return reader().findTrace(id, maxSpans).await().atMost(TIMEOUT);
  }

  private TracePage search(TraceQuery query) {
    return reader().search(query).await().atMost(TIMEOUT);
  }

  private static TraceQuery query(long windowStart) {
    return TraceQueryBuilder.between(instant(windowStart), instant(windowStart + 10 * MINUTE))
        .limit(100)
        .build();
  }

  private static TraceQuery withService(TraceQuery q, String service) {
    return TraceQueryBuilder.from(q).service(service).build();
  }

  private static TraceQuery withOperation(TraceQuery q, String operation) {
    return TraceQueryBuilder.from(q).operation(operation).build();
  }

  private static TraceQuery withTag(TraceQuery q, String key, String value) {
    return TraceQueryBuilder.from(q).tag(key, value).build();
  }

  private static TraceQuery withDurations(TraceQuery q, Duration min, Duration max) {
    return TraceQueryBuilder.from(q).durations(min, max).build();
  }

  private static TraceQuery errorsOnly(TraceQuery q) {
    return TraceQueryBuilder.from(q).errorsOnly().build();
  }

  private static TraceQuery page(TraceQuery q, int limit, Optional<SearchCursor> after) {
    return TraceQueryBuilder.from(q).limit(limit).after(after).build();
  }

  private static TraceQuery between(TraceQuery q, long start, long end) {
    return TraceQueryBuilder.from(q).window(instant(start), instant(end)).build();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  private static List<TraceId> ids(TracePage page) {
    return page.traces().stream().map(TraceSummary::traceId).toList();
  }

  private static List<Span> byStart(List<Span> spans) {
    return spans.stream()
        .sorted(
            Comparator.comparingLong(Span::startTimeUnixNano)
                .thenComparingLong(s -> s.spanId().value()))
        .toList();
  }

  /** A three-span trace: root in service a, child in b, grandchild in b. */
  private List<Span> threeSpanTrace(TraceId id, long start, String a, String b) {
    SpanId root = randomSpanId();
    SpanId child = randomSpanId();
    return List.of(
        span(id, root, Optional.empty(), a, "GET /checkout", start, 9 * 1_000_000L),
        span(id, child, Optional.of(root), b, "charge", start + 1_000_000L, 5 * 1_000_000L),
        span(id, randomSpanId(), Optional.of(child), b, "SELECT", start + 2_000_000L, 1_000_000L));
  }

  // ------------------------------------------------------------------ round trip

  @Test
  void writtenSpansReadBackEqualInEveryField() {
    long start = window();
    TraceId id = randomTraceId();
    Span full = StoreTestSpans.fullSpan(id, service("orders"), start);
    Span root = span(id, randomSpanId(), Optional.empty(), service("web"), "GET /", start, 10_000);
    writer().write(RetentionClass.STANDARD, List.of(full, root));

    assertThat(find(id)).containsExactlyElementsOf(byStart(List.of(full, root)));
  }

  @Test
  void absentTraceIsEmpty() {
    assertThat(find(randomTraceId(), NO_CAP)).isEqualTo(TraceSpans.ABSENT);
  }

  @Test
  void aTraceAboveTheCapReturnsItsEarliestSpansAndSaysSo() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      spans.add(
          span(id, randomSpanId(), Optional.empty(), service("cap"), "op" + i, start + i, 10));
    }
    // Written latest first, so that only the store's ordering can pick the earliest.
    List<Span> latestFirst = new ArrayList<>(spans);
    Collections.reverse(latestFirst);
    writer().write(RetentionClass.STANDARD, latestFirst);

    TraceSpans capped = find(id, 5);
    assertThat(capped.spans()).containsExactlyElementsOf(byStart(spans).subList(0, 5));
    assertThat(capped.truncated()).isTrue();
    assertThat(capped.storedSpanCount()).isEqualTo(12);

    TraceSpans exact = find(id, 12);
    assertThat(exact.spans()).containsExactlyElementsOf(byStart(spans));
    assertThat(exact.truncated()).isFalse();
    assertThat(exact.storedSpanCount()).isEqualTo(12);
  }

  @Test
  void spansOfBothRetentionClassesComeBackTogether() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans = threeSpanTrace(id, start, service("a"), service("b"));
    writer().write(RetentionClass.STANDARD, spans.subList(0, 1));
    writer().write(RetentionClass.EXTENDED, spans.subList(1, 3));

    assertThat(find(id)).containsExactlyElementsOf(byStart(spans));
    TraceSummary summary = search(withService(query(start), service("a"))).traces().get(0);
    assertThat(summary.spanCount()).isEqualTo(3);
  }

  @Test
  void tracesReadTogetherAreEachAsReadAloneInTheOrderAsked() {
    long start = window();
    TraceId a = randomTraceId();
    TraceId b = randomTraceId();
    List<Span> first = threeSpanTrace(a, start, service("many-a"), service("many-b"));
    List<Span> second = threeSpanTrace(b, start + 5 * MINUTE, service("many-a"), service("many-b"));
    writer().write(RetentionClass.STANDARD, first);
    writer().write(RetentionClass.STANDARD, second.subList(0, 1));
    writer().write(RetentionClass.EXTENDED, second.subList(1, 3));

    List<TraceSpans> all =
        reader().findTraces(List.of(b, randomTraceId(), a), NO_CAP).await().atMost(TIMEOUT);
    assertThat(all).containsExactly(find(b, NO_CAP), TraceSpans.ABSENT, find(a, NO_CAP));
    assertThat(all.get(0).spans()).containsExactlyElementsOf(byStart(second));

    List<TraceSpans> capped = reader().findTraces(List.of(a, b), 2).await().atMost(TIMEOUT);
    assertThat(capped).containsExactly(find(a, 2), find(b, 2));
    assertThat(capped.get(1).truncated()).isTrue();
    assertThat(capped.get(1).spans()).containsExactlyElementsOf(byStart(second).subList(0, 2));
    assertThat(capped.get(1).storedSpanCount()).isEqualTo(3);

    assertThat(reader().findTraces(List.of(randomTraceId()), 1).await().atMost(TIMEOUT))
        .containsExactly(TraceSpans.ABSENT);
    assertThat(reader().findTraces(List.of(), 1).await().atMost(TIMEOUT)).isEmpty();
  }

  // ------------------------------------------------------------------ idempotence

  @Test
  void replayingABatchChangesNothing() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans =
        new ArrayList<>(threeSpanTrace(id, start, service("replay-a"), service("replay-b")));
    spans.set(2, StoreTestSpans.withStatus(spans.get(2), new SpanStatus(StatusCode.ERROR, "x")));
    writer().write(RetentionClass.STANDARD, spans);
    List<Span> first = find(id);
    TracePage firstSummary = search(query(start));

    writer().write(RetentionClass.STANDARD, spans);
    writer().write(RetentionClass.STANDARD, List.of(spans.get(1), spans.get(1)));

    assertThat(find(id)).isEqualTo(first).hasSize(3);
    assertThat(search(query(start))).isEqualTo(firstSummary);
    assertThat(firstSummary.traces())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.spanCount()).isEqualTo(3);
              assertThat(t.errorCount()).isEqualTo(1);
            });
  }

  // ------------------------------------------------------------------ summary

  @Test
  void summaryDescribesTheTraceEvenWhenTheRootArrivesLast() {
    long start = window();
    TraceId id = randomTraceId();
    String a = service("sum-a");
    String b = service("sum-b");
    List<Span> spans = threeSpanTrace(id, start, a, b);
    Span failed =
        StoreTestSpans.withStatus(spans.get(2), new SpanStatus(StatusCode.ERROR, "timeout"));
    writer().write(RetentionClass.STANDARD, List.of(spans.get(1), failed));

    TraceSummary partial = search(query(start)).traces().get(0);
    assertThat(partial.rootSpanName())
        .as("earliest span while the root is missing")
        .isEqualTo("charge");

    writer().write(RetentionClass.STANDARD, List.of(spans.get(0)));

    TraceSummary summary = search(query(start)).traces().get(0);
    assertThat(summary.traceId()).isEqualTo(id);
    assertThat(summary.rootServiceName()).isEqualTo(a);
    assertThat(summary.rootSpanName()).isEqualTo("GET /checkout");
    assertThat(summary.spanCount()).isEqualTo(3);
    assertThat(summary.errorCount()).isEqualTo(1);
    assertThat(summary.services()).containsExactly(a, b);
    assertThat(summary.startTimeUnixNano()).isEqualTo(start);
    assertThat(summary.durationNanos()).isEqualTo(9_000_000L);
  }

  // ------------------------------------------------------------------ search

  @Test
  void searchesByServiceOperationTagDurationAndErrors() {
    long start = window();
    String front = service("front");
    String pay = service("pay");
    TraceId plain = randomTraceId();
    TraceId failing = randomTraceId();
    List<Span> plainSpans = threeSpanTrace(plain, start, front, pay);
    List<Span> failingSpans = new ArrayList<>(threeSpanTrace(failing, start + MINUTE, front, pay));
    failingSpans.set(
        1,
        StoreTestSpans.withAttributes(
            StoreTestSpans.withStatus(failingSpans.get(1), new SpanStatus(StatusCode.ERROR, "no")),
            List.of(Attribute.of("http.status_code", 500), Attribute.of("card", "visa"))));
    plainSpans = new ArrayList<>(plainSpans);
    plainSpans.set(
        1,
        StoreTestSpans.withAttributes(
            plainSpans.get(1),
            List.of(Attribute.of("http.status_code", 200), Attribute.of("card", "amex"))));
    writer().write(RetentionClass.STANDARD, plainSpans);
    writer().write(RetentionClass.EXTENDED, failingSpans);
    TraceQuery all = query(start);

    assertThat(ids(search(all))).containsExactly(failing, plain);
    assertThat(ids(search(withService(all, pay)))).containsExactly(failing, plain);
    assertThat(ids(search(withService(all, service("nobody"))))).isEmpty();
    assertThat(ids(search(withOperation(withService(all, pay), "charge"))))
        .containsExactly(failing, plain);
    assertThat(ids(search(withOperation(withService(all, front), "charge"))))
        .as("service and operation must hold on one span")
        .isEmpty();
    assertThat(ids(search(withTag(all, "card", "visa")))).containsExactly(failing);
    assertThat(ids(search(withTag(all, "http.status_code", "500")))).containsExactly(failing);
    assertThat(ids(search(withTag(withTag(all, "http.status_code", "500"), "card", "amex"))))
        .isEmpty();
    assertThat(ids(search(withTag(all, "host.name", "h1"))))
        .as("resource attributes are tags too")
        .containsExactly(failing, plain);
    assertThat(ids(search(errorsOnly(all)))).containsExactly(failing);
    assertThat(ids(search(withDurations(withService(all, front), Duration.ofMillis(9), null))))
        .containsExactly(failing, plain);
    assertThat(ids(search(withDurations(withService(all, front), Duration.ofMillis(10), null))))
        .isEmpty();
    assertThat(
            ids(
                search(
                    withDurations(
                        withOperation(all, "SELECT"), Duration.ofMillis(1), Duration.ofMillis(1)))))
        .containsExactly(failing, plain);
    assertThat(ids(search(withDurations(all, null, Duration.ofNanos(999_999))))).isEmpty();
    assertThat(ids(search(between(all, start + 1, start + 2 * MINUTE)))).containsExactly(failing);
    assertThat(ids(search(between(all, start, start + MINUTE)))).containsExactly(plain);
  }

  @Test
  void pagesAreOrderedAndComplete() {
    long start = window();
    String svc = service("paged");
    List<TraceId> expected = new ArrayList<>();
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      TraceId id = randomTraceId();
      // two traces share each start time so that the trace id must break ties
      long at = start + (i / 2) * 1_000L;
      batch.add(span(id, randomSpanId(), Optional.empty(), svc, "op", at, 100));
      expected.add(id);
    }
    writer().write(RetentionClass.STANDARD, batch);
    expected.sort(
        Comparator.<TraceId>comparingLong(
                id ->
                    batch.stream()
                        .filter(s -> s.traceId().equals(id))
                        .findFirst()
                        .orElseThrow()
                        .startTimeUnixNano())
            .thenComparing(Comparator.naturalOrder())
            .reversed());

    List<TraceId> seen = new ArrayList<>();
    Optional<SearchCursor> cursor = Optional.empty();
    List<Integer> sizes = new ArrayList<>();
    do {
      TracePage page = search(page(withService(query(start), svc), 3, cursor));
      sizes.add(page.traces().size());
      seen.addAll(ids(page));
      cursor = page.next().map(c -> SearchCursor.decode(c.encode()));
    } while (cursor.isPresent());

    assertThat(sizes).containsExactly(3, 3, 1);
    assertThat(seen).containsExactlyElementsOf(expected);

    TracePage exact = search(page(withService(query(start), svc), 7, Optional.empty()));
    assertThat(exact.traces()).hasSize(7);
    assertThat(exact.next()).as("no next page when no further trace exists").isEmpty();
  }

  // ------------------------------------------------------------------ catalog

  @Test
  void servicesAndOperationsAreCatalogued() {
    long start = window();
    String a = service("cat-a");
    String b = service("cat-b");
    TraceId id = randomTraceId();
    List<Span> spans = new ArrayList<>(threeSpanTrace(id, start, a, b));
    Span clientCall =
        new Span(
            id,
            randomSpanId(),
            Optional.of(spans.get(0).spanId()),
            "",
            0,
            "charge",
            SpanKind.CLIENT,
            start + 10,
            start + 20,
            List.of(),
            0,
            List.of(),
            0,
            List.of(),
            0,
            SpanStatus.UNSET,
            StoreTestSpans.resource(b),
            dev.cairn.model.InstrumentationScope.EMPTY);
    spans.add(clientCall);
    writer().write(RetentionClass.STANDARD, spans);
    writer().write(RetentionClass.EXTENDED, spans);

    assertThat(reader().services().await().atMost(TIMEOUT)).contains(a, b).isSorted();
    assertThat(reader().operations(b).await().atMost(TIMEOUT))
        .containsExactly(
            new Operation("SELECT", SpanKind.SERVER),
            new Operation("charge", SpanKind.SERVER),
            new Operation("charge", SpanKind.CLIENT));
    assertThat(reader().operations(service("nobody")).await().atMost(TIMEOUT)).isEmpty();
  }

  @Test
  void replayWithOtherBatchBoundariesAddsNoSpanAndNoCount() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans = threeSpanTrace(id, start, service("rb-a"), service("rb-b"));
    writer().write(RetentionClass.STANDARD, spans.subList(0, 2));
    writer().write(RetentionClass.STANDARD, spans.subList(1, 3));
    writer().write(RetentionClass.STANDARD, spans);

    assertThat(find(id)).containsExactlyElementsOf(byStart(spans));
    assertThat(search(query(start)).traces())
        .singleElement()
        .satisfies(t -> assertThat(t.spanCount()).isEqualTo(3));
  }

  @Test
  void aTraceSpreadOverManyBatchesAndHoursComesBackWhole() {
    long start = window();
    TraceId id = randomTraceId();
    String svc = service("spread");
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // 50 minutes apart: every batch lands in another one-hour chunk
      Span span =
          span(id, randomSpanId(), Optional.empty(), svc, "op" + i, start + i * 50 * MINUTE, 10);
      spans.add(span);
      writer().write(RetentionClass.STANDARD, List.of(span));
    }
    TraceSpans found = find(id, NO_CAP);
    assertThat(found.spans()).containsExactlyElementsOf(byStart(spans));
    assertThat(found.storedSpanCount()).isEqualTo(6);
    assertThat(ids(search(withOperation(withService(query(start), svc), "op0"))))
        .containsExactly(id);
  }

  @Test
  void lateSpansAreCountedOnceEach() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans = threeSpanTrace(id, start, service("late-a"), service("late-b"));
    java.util.BitSet late = new java.util.BitSet();
    late.set(2);
    writer().write(RetentionClass.STANDARD, spans.subList(0, 2));
    writer().write(RetentionClass.STANDARD, spans, late);
    writer().write(RetentionClass.STANDARD, spans, late);

    TraceSpans found = find(id, NO_CAP);
    assertThat(found.spans()).hasSize(3);
    assertThat(found.lateSpanCount()).isEqualTo(1);
  }

  @Test
  void criteriaThatHoldOnDifferentSpansDoNotMatch() {
    long start = window();
    TraceId id = randomTraceId();
    List<Span> spans = new ArrayList<>(threeSpanTrace(id, start, service("x-a"), service("x-b")));
    spans.set(
        2, StoreTestSpans.withAttributes(spans.get(2), List.of(Attribute.of("db", "orders"))));
    writer().write(RetentionClass.STANDARD, spans);

    TraceQuery all = query(start);
    assertThat(ids(search(withTag(all, "db", "orders")))).containsExactly(id);
    assertThat(ids(search(withTag(withOperation(all, "SELECT"), "db", "orders"))))
        .containsExactly(id);
    assertThat(ids(search(withTag(withOperation(all, "charge"), "db", "orders"))))
        .as("the segment holds both terms, but on different spans: the recheck refuses it")
        .isEmpty();
  }

  // ------------------------------------------------------------------ search among many traces

  /**
   * More traces than a search examines one by one (backends may probe the newest few hundred
   * candidates first): rare matches, durations and empty answers must come from the whole window.
   */
  private static final int MANY = 320;

  /** One span a trace, {@link #MANY} traces of {@code svc} evenly over [start, start + length). */
  private List<Span> manyTraces(
      long start, long length, String svc, java.util.function.IntFunction<Span> special) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      Span marked = special.apply(i);
      if (marked != null) {
        spans.add(marked);
        continue;
      }
      long at = start + i * (length / MANY);
      spans.add(span(randomTraceId(), randomSpanId(), Optional.empty(), svc, "op", at, 1_000_000L));
    }
    return spans;
  }

  /** Limit 20: fewer candidates than {@link #MANY} to examine one by one. */
  private static TraceQuery manyQuery(long windowStart) {
    return TraceQueryBuilder.from(query(windowStart)).limit(20).build();
  }

  private static List<TraceId> newestFirst(List<Span> spans) {
    return spans.stream()
        .sorted(
            Comparator.comparingLong(Span::startTimeUnixNano)
                .thenComparing(Span::traceId)
                .reversed())
        .map(Span::traceId)
        .toList();
  }

  private List<TraceId> allPages(TraceQuery query, int pageSize) {
    List<TraceId> seen = new ArrayList<>();
    Optional<SearchCursor> cursor = Optional.empty();
    do {
      TracePage page = search(page(query, pageSize, cursor));
      assertThat(page.traces()).hasSizeLessThanOrEqualTo(pageSize);
      seen.addAll(ids(page));
      cursor = page.next().map(c -> SearchCursor.decode(c.encode()));
    } while (cursor.isPresent());
    return seen;
  }

  @Test
  void aRareTagAmongManyTracesIsFoundWhereverItIs() {
    long start = window();
    String svc = service("rare");
    List<Span> rare = new ArrayList<>();
    List<Span> spans =
        manyTraces(
            start,
            10 * MINUTE,
            svc,
            i -> {
              if (i != 3 && i != 150) {
                return null;
              }
              Span s =
                  StoreTestSpans.withAttributes(
                      span(
                          randomTraceId(),
                          randomSpanId(),
                          Optional.empty(),
                          svc,
                          "op",
                          start + i * (10 * MINUTE / MANY),
                          1_000_000L),
                      List.of(Attribute.of("customer", "c-" + run)));
              rare.add(s);
              return s;
            });
    writer().write(RetentionClass.STANDARD, spans);
    TraceQuery tagged = withTag(manyQuery(start), "customer", "c-" + run);

    assertThat(ids(search(tagged))).containsExactlyElementsOf(newestFirst(rare));
    assertThat(ids(search(withService(tagged, svc)))).containsExactlyElementsOf(newestFirst(rare));
    assertThat(allPages(tagged, 1)).containsExactlyElementsOf(newestFirst(rare));
    TracePage first = search(page(tagged, 1, Optional.empty()));
    assertThat(first.next()).as("a second rare trace remains").isPresent();
  }

  @Test
  void aSearchThatMatchesNothingAmongManyTracesIsEmpty() {
    long start = window();
    String svc = service("none");
    writer().write(RetentionClass.STANDARD, manyTraces(start, 10 * MINUTE, svc, i -> null));
    TraceQuery all = manyQuery(start);

    assertThat(search(withService(all, svc)).traces()).hasSize(20);
    TracePage none = search(withTag(all, "customer", "absent-" + run));
    assertThat(none.traces()).isEmpty();
    assertThat(none.next()).isEmpty();
    assertThat(ids(search(withTag(withService(all, svc), "customer", "absent-" + run)))).isEmpty();
    assertThat(ids(search(withOperation(withService(all, svc), "no-such-op")))).isEmpty();
    assertThat(ids(search(withDurations(withService(all, svc), Duration.ofSeconds(1), null))))
        .isEmpty();
  }

  @Test
  void aDurationRangeAmongManyTracesFindsExactlyTheTracesWithSuchASpan() {
    long start = window();
    String svc = service("slow");
    List<Span> slow = new ArrayList<>();
    List<Span> spans =
        manyTraces(
            start,
            10 * MINUTE,
            svc,
            i -> {
              if (i % 100 != 7) {
                return null;
              }
              // 700, 1,700, 2,700, 3,700 ms
              Span s =
                  span(
                      randomTraceId(),
                      randomSpanId(),
                      Optional.empty(),
                      svc,
                      "op",
                      start + i * (10 * MINUTE / MANY),
                      (700 + i / 100 * 1000) * 1_000_000L);
              slow.add(s);
              return s;
            });
    writer().write(RetentionClass.EXTENDED, spans);
    TraceQuery all = withService(manyQuery(start), svc);

    assertThat(ids(search(withDurations(all, Duration.ofMillis(500), null))))
        .containsExactlyElementsOf(newestFirst(slow));
    assertThat(ids(search(withDurations(all, Duration.ofMillis(1000), Duration.ofMillis(3000)))))
        .containsExactlyElementsOf(newestFirst(slow.subList(1, 3)));
    assertThat(allPages(withDurations(all, Duration.ofMillis(500), null), 1))
        .containsExactlyElementsOf(newestFirst(slow));
  }

  @Test
  void aSearchOverHoursFindsMatchesInEveryChunkAndPagesAsTheWholeAnswer() {
    long length = 5 * 60 * MINUTE; // over five hours: several chunks of any hourly layout
    long start = window(length);
    String svc = service("hours");
    List<Span> tagged = new ArrayList<>();
    List<Span> spans =
        manyTraces(
            start,
            length,
            svc,
            i -> {
              if (i % 100 != 0 && i != MANY - 1) {
                return null;
              }
              long at = start + i * (length / MANY);
              // two traces at the same instant: the trace id breaks the tie
              List<Span> pair = new ArrayList<>();
              for (int k = 0; k < (i == 100 ? 2 : 1); k++) {
                pair.add(
                    StoreTestSpans.withAttributes(
                        span(randomTraceId(), randomSpanId(), Optional.empty(), svc, "op", at, 10),
                        List.of(Attribute.of("batch", "b-" + run))));
              }
              tagged.addAll(pair);
              if (pair.size() == 2) {
                writer().write(RetentionClass.EXTENDED, pair.subList(1, 2));
              }
              return pair.get(0);
            });
    writer().write(RetentionClass.STANDARD, spans);
    TraceQuery query =
        withTag(between(manyQuery(start), start, start + length), "batch", "b-" + run);

    List<TraceId> expected = newestFirst(tagged);
    assertThat(expected).hasSize(6);
    assertThat(ids(search(query))).containsExactlyElementsOf(expected);
    assertThat(allPages(query, 3)).containsExactlyElementsOf(expected);
    assertThat(allPages(query, 1)).containsExactlyElementsOf(expected);
    assertThat(allPages(withService(query, svc), 4)).containsExactlyElementsOf(expected);
    long middle = start + length / 2;
    assertThat(ids(search(between(query, start, middle))))
        .containsExactlyElementsOf(
            newestFirst(tagged.stream().filter(s -> s.startTimeUnixNano() < middle).toList()));
  }
}
