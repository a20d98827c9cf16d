package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSummary;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's stop terms (V12): a writer trains the list on its first segments and stores it,
 * writers leave its terms out of segments only once its grace period is over, a writer that trained
 * second keeps the first list, readers see a new list within a minute, warm compaction leaves the
 * terms out too, and searches for stop terms still find every trace, before and after.
 */
class StopTermsIT {

  private static final Instant START = Instant.parse("2023-03-01T10:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** In every span's resource ({@code StoreTestSpans.resource}). */
  private static final int HOST = SearchTerms.hash('t', "host.name", "h1");

  private static final int COMMON = SearchTerms.hash('t', "common", "yes");

  private TestDatabase database;
  private PgTraceReader reader;
  private final List<TraceId> written = new ArrayList<>();

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    reader = new PgTraceReader(database.pool());
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void aWriterTrainsOnItsFirstSegmentsAndLeavesTheStopTermsOutOfLaterOnes() throws SQLException {
    PgSpanWriter writer =
        new PgSpanWriter(database.dataSource(), StopTermSettings.withoutReaders(10));
    write(writer, 10, "common", "yes");
    // also the service's and its operations' terms, in every segment too
    assertThat(stored())
        .contains(HOST, COMMON, SearchTerms.hash('s', "svc", ""))
        .doesNotContain(SearchTerms.hash('t', "rare", "r0"));
    assertThat(database.scalar("SELECT segments_counted FROM search_stop_terms")).isEqualTo("10");
    assertThat(segmentsHolding(HOST)).isEqualTo(10);
    write(writer, 5, "common", "yes");
    assertThat(segmentsHolding(HOST)).as("later segments leave it out").isEqualTo(10);
    assertThat(segmentsHolding(COMMON)).isEqualTo(10);
    assertThat(segmentsHolding(SearchTerms.hash('t', "rare", "r12"))).isEqualTo(1);

    assertThat(search(tag("common", "yes"))).containsExactlyInAnyOrderElementsOf(written);
    assertThat(search(tag("host.name", "h1"))).containsExactlyInAnyOrderElementsOf(written);
    assertThat(search(TraceQueryBuilder.from(tag("common", "yes")).tag("rare", "r12").build()))
        .containsExactly(written.get(12));
    assertThat(search(tag("common", "no"))).isEmpty();
  }

  @Test
  void untilTheGracePeriodIsOverEveryWriterKeepsWritingTheStopTerms() throws SQLException {
    PgSpanWriter first =
        new PgSpanWriter(
            database.dataSource(), new StopTermSettings(10, Duration.ZERO, Duration.ofHours(1)));
    write(first, 10, "common", "yes");
    assertThat(stored()).contains(HOST);
    assertThat(
            database.scalar(
                "SELECT effective_at - stored_at >= interval '59 minutes' FROM search_stop_terms"))
        .isEqualTo("t");
    write(first, 5, "common", "yes");
    PgSpanWriter later = new PgSpanWriter(database.dataSource());
    write(later, 5, "common", "yes");
    assertThat(segmentsHolding(HOST)).isEqualTo(20);

    database.execute("UPDATE search_stop_terms SET effective_at = now() - interval '1 second'");
    write(new PgSpanWriter(database.dataSource()), 5, "common", "yes");
    assertThat(segmentsHolding(HOST)).as("in effect: left out").isEqualTo(20);
    assertThat(search(tag("host.name", "h1"))).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void aWriterThatTrainedSecondKeepsTheListStoredFirst() throws SQLException {
    PgSpanWriter a = new PgSpanWriter(database.dataSource(), StopTermSettings.withoutReaders(10));
    PgSpanWriter b = new PgSpanWriter(database.dataSource(), StopTermSettings.withoutReaders(10));
    write(b, 4, "only-b", "yes"); // b counts these before a stores its list
    write(a, 10, "common", "yes");
    write(b, 6, "only-b", "yes"); // b trains {host, only-b, ...}, finds a's list, adopts it
    assertThat(stored())
        .contains(HOST, COMMON)
        .doesNotContain(SearchTerms.hash('t', "only-b", "yes"));
    write(b, 3, "only-b", "yes");
    int onlyB = SearchTerms.hash('t', "only-b", "yes");
    assertThat(segmentsHolding(onlyB)).as("b indexes its own common term").isEqualTo(13);
    assertThat(segmentsHolding(HOST)).isEqualTo(20);
    assertThat(search(tag("only-b", "yes"))).hasSize(13);
  }

  @Test
  void aReaderReadsTheListAgainOnceWhatItReadIsAMinuteOld() throws SQLException {
    AtomicLong clock = new AtomicLong();
    StoredStopTerms view = new StoredStopTerms(clock::get);
    assertThat(view.forSearch(database.pool()).await().atMost(TIMEOUT)).isEqualTo(StopTerms.NONE);
    try (Connection connection = database.dataSource().getConnection()) {
      StoredStopTerms.store(connection, StopTerms.of(HOST), 1, Duration.ZERO);
    }
    clock.addAndGet(StoredStopTerms.READER_REFRESH.minusSeconds(1).toNanos());
    assertThat(view.forSearch(database.pool()).await().atMost(TIMEOUT)).isEqualTo(StopTerms.NONE);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(view.forSearch(database.pool()).await().atMost(TIMEOUT))
        .isEqualTo(StopTerms.of(HOST));
  }

  @Test
  void warmCompactionLeavesOutTheStopTermsInEffect() throws SQLException {
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    TraceId id = randomTraceId();
    long at = PgTraceReader.unixNano(START);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Span one =
          withAttributes(
              span(id, randomSpanId(), Optional.empty(), "svc", "op", at + i * 1_000L, 1_000L),
              List.of(Attribute.of("common", "yes")));
      spans.add(one);
      writer.write(RetentionClass.STANDARD, List.of(one)); // one segment each
    }
    written.add(id);
    try (Connection connection = database.dataSource().getConnection()) {
      StoredStopTerms.store(connection, StopTerms.of(HOST), 1, Duration.ofHours(1));
      SegmentCompaction.of(RetentionClass.STANDARD)
          .step(connection, START.minusSeconds(3600), START.plusSeconds(3600), 10);
      assertThat(database.scalar("SELECT count(*) FROM trace_segments")).isEqualTo("1");
      assertThat(segmentsHolding(HOST)).as("not in effect yet").isEqualTo(1);
      database.execute("UPDATE search_stop_terms SET effective_at = now() - interval '1 second'");
      writer.write(
          RetentionClass.STANDARD,
          List.of(span(id, randomSpanId(), Optional.empty(), "svc", "op", at + 5_000L, 1_000L)));
      SegmentCompaction.of(RetentionClass.STANDARD)
          .step(connection, START.minusSeconds(3600), START.plusSeconds(3600), 10);
    }
    assertThat(segmentsHolding(HOST)).isZero();
    assertThat(database.scalar("SELECT count(*) FROM trace_segments")).isEqualTo("1");
    assertThat(search(tag("host.name", "h1"))).containsExactly(id);
    assertThat(reader.findTrace(id, 100).await().atMost(TIMEOUT).spans()).hasSize(3);
  }

  /**
   * {@code count} traces of two spans, each with the tag and a tag {@code rare=r<n>} of its own.
   */
  private void write(PgSpanWriter writer, int count, String key, String value) {
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TraceId id = randomTraceId();
      long at = PgTraceReader.unixNano(START.plusSeconds(written.size()));
      List<Attribute> tags =
          List.of(Attribute.of(key, value), Attribute.of("rare", "r" + written.size()));
      batch.add(
          withAttributes(
              span(id, randomSpanId(), Optional.empty(), "svc", "root", at, 2_000L), tags));
      batch.add(span(id, randomSpanId(), Optional.empty(), "svc", "child", at + 10, 1_000L));
      written.add(id);
    }
    writer.write(RetentionClass.STANDARD, batch);
  }

  private static TraceQuery tag(String key, String value) {
    return TraceQueryBuilder.between(START.minusSeconds(60), START.plusSeconds(3600))
        .tag(key, value)
        .limit(100)
        .build();
  }

  private List<TraceId> search(TraceQuery query) {
    return reader.search(query).await().atMost(TIMEOUT).traces().stream()
        .map(TraceSummary::traceId)
        .toList();
  }

  private List<Integer> stored() throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      return List.of(StoredStopTerms.load(connection).orElseThrow().terms().toArray());
    }
  }

  private int segmentsHolding(int term) throws SQLException {
    return Integer.parseInt(
        database.scalar("SELECT count(*) FROM trace_segments WHERE terms @> ARRAY[" + term + "]"));
  }
}
