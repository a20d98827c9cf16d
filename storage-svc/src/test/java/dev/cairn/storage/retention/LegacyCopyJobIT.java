package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.pg.LegacyRows;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.StoredSpans;
import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy of the V1–V5 layout's spans into segments, run as the scheduler runs it: spans older
 * than their class keeps stay behind, every other span is copied once (the step boundaries are
 * LegacySpanCopyIT's), and a run after the end copies nothing.
 */
class LegacyCopyJobIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private TestDatabase database;
  private JobRunner runner;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    runner = new JobRunner(database.dataSource(), "it", Duration.ofSeconds(5));
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void copiesLiveSpansOnceAndLeavesExpiredOnes() throws Exception {
    List<Span> live = new ArrayList<>();
    List<Span> expired = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection()) {
      for (int i = 0; i < 3; i++) {
        live.addAll(
            SpanFixtures.threeServiceTrace(
                SpanFixtures.randomTraceId(), nanos(NOW.minus(Duration.ofDays(i + 1)))));
      }
      expired.addAll(
          SpanFixtures.threeServiceTrace(
              SpanFixtures.randomTraceId(), nanos(NOW.minus(Duration.ofDays(8)))));
      for (Span span : live) {
        LegacyRows.insert(connection, "spans_standard", span, true);
      }
      for (Span span : expired) {
        LegacyRows.insert(connection, "spans_standard", span, false);
      }
    }
    LegacyCopyJob job =
        new LegacyCopyJob(
            RetentionClass.STANDARD,
            TestPolicies.defaults(),
            new PgSpanWriter(database.dataSource()));

    JobRunner.Run first = runner.run(job, NOW, Duration.ZERO);
    JobRunner.Run second = runner.run(job, NOW.plusSeconds(1), Duration.ZERO);

    assertThat(first.result().orElseThrow().rowsByTable()).containsEntry("spans_standard", 15);
    assertThat(second.result().orElseThrow().rowsByTable()).containsEntry("spans_standard", 0);
    assertThat(second.result().orElseThrow().watermark())
        .isEqualTo(first.result().orElseThrow().watermark());
    try (Connection connection = database.dataSource().getConnection()) {
      List<Span> stored =
          StoredSpans.of(
              connection,
              List.of(live.get(0).traceId(), live.get(5).traceId(), live.get(10).traceId()));
      assertThat(stored).containsExactlyInAnyOrderElementsOf(live);
      assertThat(StoredSpans.of(connection, List.of(expired.get(0).traceId()))).isEmpty();
    }
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
