package dev.cairn.storage.retention;

import static dev.cairn.store.StoreTestSpans.fullSpan;
import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.PgTraceReader;
import dev.cairn.store.pg.SegmentCompaction;
import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm compaction against the real TimescaleDB: traces written in several batches into chunks older
 * than warm-after end up with one segment per trace per chunk, and trace by id and search answer
 * exactly as before, in both classes and for a trace that spans them; recent chunks are left as
 * written; a late span for a compacted chunk is stored and read back; and a segment written while a
 * compaction runs survives it.
 */
class WarmCompactionJobIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Duration SPAN = Duration.ofMillis(5);

  /** Ten minutes into an hour two days ago: warm (after 1 day), within both classes' periods. */
  private static final Instant WARM = NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);

  private TestDatabase database;
  private JobRunner runner;
  private PgSpanWriter writer;
  private PgTraceReader reader;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    runner = new JobRunner(database.dataSource(), "it", Duration.ofSeconds(5));
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void repacksWarmTracesIntoOneSegmentPerChunkAndReadsAnswerAsBefore() throws SQLException {
    Instant at = WARM.plus(Duration.ofMinutes(10));
    // three batches of one standard trace, one of them replayed
    TraceId batched = randomTraceId();
    List<Span> first = List.of(root(batched, at), child(batched, at.plusSeconds(1), "db"));
    List<Span> second = List.of(child(batched, at.plusSeconds(2), "cache"));
    writer.write(RetentionClass.STANDARD, first);
    writer.write(RetentionClass.STANDARD, second);
    writer.write(RetentionClass.STANDARD, second);
    writer.write(
        RetentionClass.STANDARD, List.of(fullSpan(batched, "payments", nanos(at.plusSeconds(3)))));
    // a trace across the class boundary: first written standard, then two extended batches
    TraceId crossing = randomTraceId();
    writer.write(RetentionClass.STANDARD, List.of(root(crossing, at)));
    writer.write(RetentionClass.EXTENDED, List.of(child(crossing, at.plusSeconds(5), "db")));
    writer.write(RetentionClass.EXTENDED, List.of(child(crossing, at.plusSeconds(6), "queue")));
    // one segment already: not a candidate
    TraceId single = randomTraceId();
    writer.write(RetentionClass.STANDARD, List.of(root(single, at), child(single, at, "db")));
    // segments in two chunks (hours): one segment in each after compaction
    TraceId twoHours = randomTraceId();
    writer.write(RetentionClass.STANDARD, List.of(root(twoHours, at)));
    writer.write(RetentionClass.STANDARD, List.of(child(twoHours, at.plusSeconds(1), "db")));
    writer.write(
        RetentionClass.STANDARD, List.of(child(twoHours, at.plus(Duration.ofHours(1)), "db")));
    writer.write(
        RetentionClass.STANDARD,
        List.of(child(twoHours, at.plus(Duration.ofHours(1)).plusSeconds(1), "cache")));
    // recent: not warm yet, left as written
    TraceId recent = randomTraceId();
    Instant hot = NOW.minus(Duration.ofHours(2));
    writer.write(RetentionClass.STANDARD, List.of(root(recent, hot)));
    writer.write(RetentionClass.STANDARD, List.of(child(recent, hot.plusSeconds(1), "db")));

    List<TraceId> traces = List.of(batched, crossing, single, twoHours, recent);
    Map<TraceId, TraceSpans> tracesBefore = ReadBack.traces(reader, traces);
    List<TracePage> searchesBefore = searches();
    assertThat(segments("trace_segments_standard", batched)).isEqualTo(3);
    assertThat(tracesBefore.get(crossing).spans()).hasSize(3);
    long bytesBefore = payloadBytes();

    Map<String, Integer> removed = compact();

    assertThat(removed)
        .containsEntry("trace_segments_standard", 2 + 2) // batched 3 -> 1; twoHours 2+2 -> 1+1
        .containsEntry("trace_segments_extended", 1); // crossing's two extended -> 1
    assertThat(segments("trace_segments_standard", batched)).isEqualTo(1);
    assertThat(segments("trace_segments_standard", crossing)).isEqualTo(1);
    assertThat(segments("trace_segments_extended", crossing)).isEqualTo(1);
    assertThat(segments("trace_segments_standard", single)).isEqualTo(1);
    assertThat(segments("trace_segments_standard", twoHours)).isEqualTo(2);
    assertThat(segments("trace_segments_standard", recent)).isEqualTo(2);
    assertThat(ReadBack.traces(reader, traces)).isEqualTo(tracesBefore);
    assertThat(searches()).isEqualTo(searchesBefore);
    assertThat(payloadBytes()).isLessThan(bytesBefore);

    // idempotent: a second run has nothing to do and changes nothing
    assertThat(compact())
        .containsOnly(
            Map.entry("trace_segments_standard", 0), Map.entry("trace_segments_extended", 0));
    assertThat(ReadBack.traces(reader, traces)).isEqualTo(tracesBefore);
  }

  @Test
  void aLateSpanForACompactedChunkIsStoredAsOneMoreSegmentAndReadBack() throws SQLException {
    Instant at = WARM.plus(Duration.ofMinutes(20));
    TraceId trace = randomTraceId();
    writer.write(RetentionClass.STANDARD, List.of(root(trace, at)));
    writer.write(RetentionClass.STANDARD, List.of(child(trace, at.plusSeconds(1), "db")));
    compact();
    assertThat(segments("trace_segments_standard", trace)).isEqualTo(1);

    Span late = child(trace, at.plusSeconds(2), "retry");
    writer.write(RetentionClass.STANDARD, List.of(late), bits(0));

    TraceSpans read = reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30));
    assertThat(read.spans()).hasSize(3).contains(late);
    assertThat(read.lateSpanCount()).isEqualTo(1);
    assertThat(segments("trace_segments_standard", trace)).isEqualTo(2);
    // the chunk is behind the job's watermark: the late segment stays as written, still read
    compact();
    assertThat(reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30))).isEqualTo(read);
  }

  @Test
  void aSegmentWrittenDuringACompactionSurvivesIt() throws Exception {
    Instant at = WARM.plus(Duration.ofMinutes(30));
    TraceId trace = randomTraceId();
    writer.write(RetentionClass.STANDARD, List.of(root(trace, at)));
    writer.write(RetentionClass.STANDARD, List.of(child(trace, at.plusSeconds(1), "db")));
    Span late = child(trace, at.plusSeconds(2), "late");

    try (Connection compacting = database.dataSource().getConnection()) {
      compacting.setAutoCommit(false);
      SegmentCompaction.Step step =
          SegmentCompaction.of(RetentionClass.STANDARD)
              .step(compacting, WARM, WARM.plus(Duration.ofHours(1)), 100);
      assertThat(step.segmentsRead()).isEqualTo(2);
      // the compaction has read and locked its rows, not committed: a late write goes through
      CompletableFuture.runAsync(() -> writer.write(RetentionClass.STANDARD, List.of(late)))
          .get(30, TimeUnit.SECONDS);
      compacting.commit();
    }

    TraceSpans read = reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30));
    assertThat(read.spans()).hasSize(3).contains(late);
    assertThat(segments("trace_segments_standard", trace)).isEqualTo(2);
  }

  @Test
  void aRunStopsAtItsBudgetAndTheNextGoesOnFromTheLastFinishedChunk() throws SQLException {
    TraceId early = randomTraceId();
    TraceId late = randomTraceId();
    for (TraceId trace : List.of(early, late)) {
      Instant at = WARM.plus(Duration.ofHours(trace == early ? 0 : 1)).plus(Duration.ofMinutes(5));
      writer.write(RetentionClass.STANDARD, List.of(root(trace, at)));
      writer.write(RetentionClass.STANDARD, List.of(child(trace, at.plusSeconds(1), "db")));
    }
    WarmCompactionJob oneTracePerRun =
        new WarmCompactionJob(RetentionClass.STANDARD, TestPolicies.defaults(), 1);

    JobRunner.Run first = runner.run(oneTracePerRun, NOW, Duration.ZERO);

    assertThat(segments("trace_segments_standard", early)).isEqualTo(1);
    assertThat(segments("trace_segments_standard", late)).as("over the budget").isEqualTo(2);
    assertThat(first.result().orElseThrow().watermark())
        .as("the end of the early trace's chunk, the last one finished")
        .contains(WARM.plus(Duration.ofHours(1)));

    runner.run(oneTracePerRun, NOW, Duration.ZERO);
    assertThat(segments("trace_segments_standard", late)).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private Map<String, Integer> compact() throws SQLException {
    Map<String, Integer> removed = new LinkedHashMap<>();
    for (RetentionClass retention : RetentionClass.values()) {
      JobRunner.Run run =
          runner.run(new WarmCompactionJob(retention, TestPolicies.defaults()), NOW, Duration.ZERO);
      assertThat(run.outcome()).isEqualTo(JobRunner.Outcome.RAN);
      removed.putAll(run.result().orElseThrow().rowsByTable());
    }
    return removed;
  }

  /** Searches whose answers come from the segments' terms, durations and spans. */
  private List<TracePage> searches() {
    Instant from = NOW.minus(Duration.ofDays(3));
    List<TraceQuery> queries =
        List.of(
            TraceQueryBuilder.between(from, NOW).build(),
            TraceQueryBuilder.between(from, NOW).service("frontend").build(),
            TraceQueryBuilder.between(from, NOW).service("db").build(),
            TraceQueryBuilder.between(from, NOW).service("cache").operation("cache").build(),
            TraceQueryBuilder.between(from, NOW).tag("tier", "warm").build(),
            TraceQueryBuilder.between(from, NOW).durations(Duration.ofMillis(4), null).build(),
            TraceQueryBuilder.between(from, NOW).limit(2).build());
    List<TracePage> pages = new ArrayList<>();
    for (TraceQuery query : queries) {
      pages.add(reader.search(query).await().atMost(Duration.ofSeconds(30)));
    }
    return pages;
  }

  private long segments(String table, TraceId trace) {
    return Chunks.count(
        database,
        "SELECT count(*) FROM "
            + table
            + " WHERE trace_id = '"
            + new java.util.UUID(trace.high(), trace.low())
            + "'");
  }

  private long payloadBytes() {
    return Chunks.count(database, "SELECT sum(octet_length(payload)) FROM trace_segments");
  }

  private static Span root(TraceId trace, Instant at) {
    return withAttributes(
        span(
            trace,
            randomSpanId(),
            Optional.empty(),
            "frontend",
            "GET /",
            nanos(at),
            SPAN.toNanos()),
        List.of(Attribute.of("tier", "warm")));
  }

  private static Span child(TraceId trace, Instant at, String service) {
    return span(
        trace,
        randomSpanId(),
        Optional.of(randomSpanId()),
        service,
        service,
        nanos(at),
        Duration.ofMillis(2).toNanos());
  }

  private static java.util.BitSet bits(int index) {
    java.util.BitSet set = new java.util.BitSet();
    set.set(index);
    return set;
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
