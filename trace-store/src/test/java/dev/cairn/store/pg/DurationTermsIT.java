package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSummary;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Duration terms (V13): the writer marks in a segment each duration threshold a service's span
 * reaches, a search for a service's slow spans requires the threshold's term of segments from the
 * terms' start ({@code search_catalogs.duration_terms}), and reads older segments the old way.
 */
class DurationTermsIT {

  private static final Instant DAY_1 = Instant.parse("2022-06-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final long MS = 1_000_000L;

  private TestDatabase database;

  /** Day 1: api slow (350 ms); day 2: api at 300 ms exactly, and its db slow (2 s), api not. */
  private TraceId apiSlow;

  private TraceId apiAtThreshold;
  private TraceId dbSlow;

  @BeforeEach
  void write() {
    database = TestDatabase.createSchema();
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    apiSlow = trace(writer, DAY_1.plus(Duration.ofHours(5)), 350, 5);
    apiAtThreshold = trace(writer, DAY_1.plus(DAY).plus(Duration.ofHours(2)), 300, 5);
    dbSlow = trace(writer, DAY_1.plus(DAY).plus(Duration.ofHours(3)), 40, 2_000);
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void aSegmentHoldsTheThresholdsEachServicesSpansReach() throws SQLException {
    assertThat(segmentsWith("api", "100")).isEqualTo(2);
    assertThat(segmentsWith("api", "300")).isEqualTo(2);
    assertThat(segmentsWith("api", "1000")).isZero();
    assertThat(segmentsWith("db", "1000")).isEqualTo(1);
    assertThat(segmentsWith("db", "3000")).isZero();
    assertThat(
            database.scalar(
                "SELECT since::text FROM search_catalogs" + " WHERE catalog = 'duration_terms'"))
        .as("a fresh store: every segment holds them")
        .isEqualTo("-infinity");
  }

  @Test
  void aMinimumFindsTheServicesOwnSpansThatLastThatLong() {
    PgTraceReader reader = new PgTraceReader(database.pool());
    assertThat(slowerThan(reader, "api", 300)).containsExactly(apiAtThreshold, apiSlow);
    assertThat(slowerThan(reader, "api", 301)).containsExactly(apiSlow);
    assertThat(slowerThan(reader, "api", 1_000)).isEmpty();
    assertThat(slowerThan(reader, "db", 1_000)).containsExactly(dbSlow);
    assertThat(slowerThan(reader, "db", 2_001)).isEmpty();
  }

  @Test
  void aSearchRequiresTheTermsOnlyOfSegmentsFromTheirStart() throws SQLException {
    // as after an upgrade: day 1's segment was written without duration terms
    stripDurationTerms(database, apiSlow);
    setSince(DAY_1.plus(DAY.multipliedBy(30)));
    assertThat(slowerThan(new PgTraceReader(database.pool()), "api", 300))
        .as("all segments read the old way")
        .containsExactly(apiAtThreshold, apiSlow);

    setSince(DAY_1.plus(DAY));
    assertThat(slowerThan(new PgTraceReader(database.pool()), "api", 300))
        .as("day 1 the old way, day 2 by its terms")
        .containsExactly(apiAtThreshold, apiSlow);

    // from their start the terms, not the durations, answer: a segment without them is not read
    stripDurationTerms(database, apiAtThreshold);
    assertThat(slowerThan(new PgTraceReader(database.pool()), "api", 300)).containsExactly(apiSlow);
  }

  @Test
  void anUpgradedStoreStartsTheTermsTwoHoursAfterTheMigration() throws SQLException {
    try (TestDatabase upgraded = TestDatabase.createSchemaAt("12")) {
      TraceId before = trace(new PgSpanWriter(upgraded.dataSource()), DAY_1, 350, 5);
      stripDurationTerms(upgraded, before); // as the V12 writer wrote it
      upgraded.migrate();
      assertThat(
              upgraded.scalar(
                  "SELECT since - now() BETWEEN interval '119 minutes' AND interval '121 minutes'"
                      + " FROM search_catalogs WHERE catalog = 'duration_terms'"))
          .isEqualTo("t");
      assertThat(slowerThan(new PgTraceReader(upgraded.pool()), "api", 300))
          .as("a segment before the terms' start is read the old way")
          .containsExactly(before);
    }
  }

  /** A trace whose api root calls the db, lasting the milliseconds given. */
  private static TraceId trace(PgSpanWriter writer, Instant at, long apiMillis, long dbMillis) {
    TraceId id = randomTraceId();
    long nanos = PgTraceReader.unixNano(at);
    Span api = span(id, randomSpanId(), Optional.empty(), "api", "GET /", nanos, apiMillis * MS);
    Span db =
        span(id, randomSpanId(), Optional.of(api.spanId()), "db", "SELECT", nanos, dbMillis * MS);
    writer.write(RetentionClass.STANDARD, List.of(api, db));
    return id;
  }

  private static List<TraceId> slowerThan(PgTraceReader reader, String service, long millis) {
    TracePage page =
        reader
            .search(
                TraceQueryBuilder.between(DAY_1, DAY_1.plus(DAY.multipliedBy(3)))
                    .service(service)
                    .durations(Duration.ofMillis(millis), null)
                    .build())
            .await()
            .atMost(Duration.ofSeconds(30));
    return page.traces().stream().map(TraceSummary::traceId).toList();
  }

  private long segmentsWith(String service, String threshold) throws SQLException {
    return Long.parseLong(
        database.scalar(
            "SELECT count(*) FROM trace_segments WHERE terms @> ARRAY["
                + SearchTerms.hash('d', service, threshold)
                + "]"));
  }

  private static void stripDurationTerms(TestDatabase database, TraceId trace) throws SQLException {
    StringBuilder terms = new StringBuilder();
    for (String service : List.of("api", "db")) {
      for (int i = 0; i < 6; i++) {
        terms.append(terms.isEmpty() ? "" : ",").append(SearchTerms.durationTerm(service, i));
      }
    }
    database.execute(
        "UPDATE trace_segments_standard SET terms = array(SELECT t FROM unnest(terms) t"
            + " WHERE t <> ALL (ARRAY["
            + terms
            + "])) WHERE trace_id = '"
            + SpanCopyEncoder.uuidOf(trace)
            + "'");
  }

  private void setSince(Instant since) throws SQLException {
    database.execute(
        "UPDATE search_catalogs SET since = '" + since + "' WHERE catalog = 'duration_terms'");
  }
}
