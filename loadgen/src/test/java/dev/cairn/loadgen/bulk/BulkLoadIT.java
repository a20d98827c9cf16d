package dev.cairn.loadgen.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.loadgen.generate.Skew;
import dev.cairn.loadgen.generate.TraceIds;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.PgTraceReader;
import dev.cairn.store.pg.TestDatabase;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 20,000 spans over two days through trace-store's writer into a fresh schema, read back through
 * trace-store's reader: a known trace exactly as the seed regenerates it, and tag searches.
 */
class BulkLoadIT {

  private static final BulkPlan PLAN = BulkFixtures.plan(20_000, 48, 42);
  private static final RetentionRule RULE = new RetentionRule(1_000_000_000L);

  private static TestDatabase database;
  private static PgTraceReader reader;
  private static BulkResult result;

  @BeforeAll
  static void load() throws InterruptedException {
    database = TestDatabase.createSchema();
    reader = new PgTraceReader(database.pool());
    result =
        new BulkLoader(
                PLAN,
                () -> BulkFixtures.slices(PLAN),
                RULE,
                new PgSpanWriter(database.dataSource()),
                2,
                5000,
                1)
            .run();
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @Test
  void everySampledTraceReadsBackExactlyAsTheSeedMakesIt() {
    assertThat(result.totals().spans()).isGreaterThanOrEqualTo(20_000);
    assertThat(result.samples()).hasSize(PLAN.slices());
    for (SampleTrace sample : result.samples()) {
      GeneratedTrace expected = BulkFixtures.slices(PLAN).all(sample.slice()).get(0);
      assertThat(TraceIds.hex(expected.traceId())).isEqualTo(sample.traceId());
      assertReadsBack(expected);
    }
  }

  @Test
  void anExtendedTraceReadsBackToo() {
    SliceTraces slices = BulkFixtures.slices(PLAN);
    GeneratedTrace extended =
        java.util.stream.IntStream.range(0, PLAN.slices())
            .mapToObj(slices::all)
            .flatMap(List::stream)
            .filter(t -> RULE.classify(t) == RetentionClass.EXTENDED)
            .findFirst()
            .orElseThrow();
    assertReadsBack(extended);
  }

  @Test
  void aTagSearchFindsTheTraceOfARareCustomerAndPagesOfACommonOne() {
    SampleTrace sample = result.samples().get(result.samples().size() / 2);
    TracePage rare = reader.search(customer(sample.customerId(), 20)).await().indefinitely();
    assertThat(rare.traces()).extracting(t -> t.traceId().toHex()).contains(sample.traceId());
    TracePage common = reader.search(customer(Skew.customerId(1), 20)).await().indefinitely();
    assertThat(common.traces()).hasSize(20);
    assertThat(common.traces())
        .extracting(TraceSummary::startTimeUnixNano)
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(
            reader
                .search(customer(Skew.customerId(BulkFixtures.SKEW.customers() + 1), 20))
                .await()
                .indefinitely()
                .traces())
        .isEmpty();
  }

  private static void assertReadsBack(GeneratedTrace expected) {
    List<Span> spans = new ModelSpans().of(expected);
    TraceSpans read =
        reader.findTrace(TraceId.fromBytes(expected.traceId()), 50_000).await().indefinitely();
    // ties in start time are ordered by span id, in whatever order the layout keeps ids
    assertThat(read.spans())
        .containsExactlyInAnyOrderElementsOf(spans)
        .isSortedAccordingTo(Comparator.comparingLong(Span::startTimeUnixNano));
    assertThat(read.storedSpanCount()).isEqualTo(expected.spanCount());
    assertThat(read.truncated()).isFalse();
  }

  private static TraceQuery customer(String id, int limit) {
    return new TraceQuery(
        Optional.empty(),
        Optional.empty(),
        List.of(new TraceQuery.TagFilter(Skew.CUSTOMER_KEY, id)),
        Optional.empty(),
        Optional.empty(),
        false,
        Instant.ofEpochSecond(0, PLAN.windowStartNanos() - 60_000_000_000L),
        Instant.ofEpochSecond(0, PLAN.windowEndNanos()),
        limit,
        Optional.empty());
  }
}
