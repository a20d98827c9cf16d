package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSummary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence that a search with span criteria stops once it has {@code limit + 1} traces: when every
 * trace matches, the plan (custom and generic, as a prepared statement runs it) reads about one
 * span per returned trace, instead of joining every matching span of the service first.
 */
class SearchEarlyStopIT {

  private static final int TRACES = 3000;
  private static final int LIMIT = 10;
  private static final long MILLI = 1_000_000L;
  private static final long BASE =
      Instant.parse("2022-04-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

  private static TestDatabase database;
  private static final List<TraceId> rare = new ArrayList<>();
  private static final List<TraceId> byStart = new ArrayList<>();

  @BeforeAll
  static void fillTracesThatAllMatch() throws SQLException {
    database = TestDatabase.createSchema();
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      TraceId id = randomTraceId();
      byStart.add(id);
      long at = BASE + i * MILLI;
      SpanId root = randomSpanId();
      spans.add(span(id, root, Optional.empty(), "front", "GET /pay", at, 300 * MILLI));
      // the newest trace and one far beyond the probe's budget also carry a rare tag
      boolean isRare = i == 5 || i == TRACES - 1;
      if (isRare) {
        rare.add(0, id);
      }
      spans.add(
          withAttributes(
              span(id, randomSpanId(), Optional.of(root), "pay", "charge", at + 1, 200 * MILLI),
              isRare
                  ? List.of(Attribute.of("http.method", "POST"), Attribute.of("rare", "yes"))
                  : List.of(Attribute.of("http.method", "POST"))));
      spans.add(span(id, randomSpanId(), Optional.of(root), "db", "SELECT", at + 2, MILLI));
    }
    writer.write(RetentionClass.STANDARD, spans);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE");
    }
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @Test
  void serviceAndTagSearchProbesOnlyTheTracesItReturns() throws SQLException {
    assertEarlyStop(query(List.of(new TraceQuery.TagFilter("http.method", "POST")), null));
  }

  @Test
  void serviceAndMinDurationSearchProbesOnlyTheTracesItReturns() throws SQLException {
    assertEarlyStop(query(List.of(), Duration.ofMillis(100)));
  }

  @Test
  void rareMatchesBeyondTheProbeBudgetAreFoundInOrder() {
    PgTraceReader reader = new PgTraceReader(database.pool());
    TraceQuery query = query(List.of(new TraceQuery.TagFilter("rare", "yes")), null);
    assertThat(PgTraceReader.probeBudget(LIMIT)).isLessThan(TRACES - 5);

    TracePage page = reader.search(query).await().atMost(Duration.ofSeconds(30));

    assertThat(page.traces()).extracting(TraceSummary::traceId).containsExactlyElementsOf(rare);
    assertThat(page.next()).isEmpty();
    TracePage first = reader.search(withLimit(query, 1)).await().atMost(Duration.ofSeconds(30));
    assertThat(first.traces()).extracting(TraceSummary::traceId).containsExactly(rare.get(0));
    TracePage second =
        reader
            .search(after(withLimit(query, 1), first.next().orElseThrow()))
            .await()
            .atMost(Duration.ofSeconds(30));
    assertThat(second.traces()).extracting(TraceSummary::traceId).containsExactly(rare.get(1));
    assertThat(second.next()).isEmpty();
  }

  @Test
  void everyPageOfASearchThatEveryTraceMatchesIsExact() {
    PgTraceReader reader = new PgTraceReader(database.pool());
    TraceQuery common = query(List.of(new TraceQuery.TagFilter("http.method", "POST")), null);
    // the first page from the term index (slices narrowed to about the page); a page deep down,
    // where thousands of matching segments start after the cursor, from the probe
    for (int newest : List.of(TRACES - 1, TRACES - 2, 1000, 15)) {
      TraceQuery page =
          newest == TRACES - 1
              ? common
              : after(
                  common, new SearchCursor(BASE + (newest + 1) * MILLI, byStart.get(newest + 1)));
      TracePage found = reader.search(page).await().atMost(Duration.ofSeconds(30));
      List<TraceId> expected = new ArrayList<>();
      for (int i = newest; i > newest - LIMIT && i >= 0; i--) {
        expected.add(byStart.get(i));
      }
      assertThat(found.traces())
          .as("page from trace %d down", newest)
          .extracting(TraceSummary::traceId)
          .containsExactlyElementsOf(expected);
      assertThat(found.next()).isPresent();
    }
  }

  private static TraceQuery withLimit(TraceQuery q, int limit) {
    return TraceQueryBuilder.from(q).limit(limit).build();
  }

  private static TraceQuery after(TraceQuery q, SearchCursor cursor) {
    return TraceQueryBuilder.from(q).after(Optional.of(cursor)).build();
  }

  private static TraceQuery query(List<TraceQuery.TagFilter> tags, Duration minDuration) {
    TraceQueryBuilder query =
        TraceQueryBuilder.between(
                Instant.ofEpochSecond(0, BASE), Instant.ofEpochSecond(0, BASE + TRACES * MILLI))
            .service("pay")
            .operation("charge")
            .durations(minDuration, null)
            .limit(LIMIT);
    tags.forEach(tag -> query.tag(tag.key(), tag.value()));
    return query.build();
  }

  private static void assertEarlyStop(TraceQuery query) throws SQLException {
    SearchSql sql =
        SearchSql.probe(
            query,
            SearchTerms.required(query, StopTerms.NONE),
            PgTraceReader.probeBudget(query.limit()));
    String name = "search_" + Math.abs(sql.text().hashCode());
    String execute =
        "EXECUTE "
            + name
            + "("
            + sql.parameters().stream()
                .map(p -> p instanceof Object[] array ? arrayLiteral(array) : p.toString())
                .map(p -> "'" + p.replace("'", "''") + "'")
                .collect(Collectors.joining(", "))
            + ")";
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("PREPARE " + name + " AS " + sql.text());
      String custom = explain(statement, execute);
      statement.execute("SET plan_cache_mode = force_generic_plan");
      String generic = explain(statement, execute);
      System.out.printf("search plans:%n-- custom:%n%s%n-- generic:%n%s%n", custom, generic);

      // the reader runs the probe with custom plans: the generic one cannot prune summary chunks
      for (String plan : List.of(custom)) {
        assertThat(rootRows(plan)).as("rows returned").isEqualTo(LIMIT + 1);
        assertThat(spanRowsRead(plan))
            .as("span rows read (sum of rows x loops over chunk scans)")
            .isBetween((long) LIMIT + 1, 2L * (LIMIT + 1));
      }
    }
  }

  private static String explain(Statement statement, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rows = statement.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + sql)) {
      while (rows.next()) {
        plan.append(rows.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  private static final Pattern ACTUAL =
      Pattern.compile("actual (?:time=\\S+ )?rows=([0-9.]+) loops=(\\d+)");

  private static long rootRows(String plan) {
    Matcher m = ACTUAL.matcher(plan.lines().findFirst().orElseThrow());
    assertThat(m.find()).as("analyzed plan").isTrue();
    return product(m);
  }

  private static long spanRowsRead(String plan) {
    return plan.lines()
        .filter(line -> line.contains("_hyper_") && line.contains("Scan"))
        .mapToLong(
            line -> {
              Matcher m = ACTUAL.matcher(line);
              return m.find() ? product(m) : 0;
            })
        .sum();
  }

  /** Rows per loop (PostgreSQL 18 prints them with decimals) times loops. */
  private static long product(Matcher m) {
    return Math.round(Double.parseDouble(m.group(1)) * Long.parseLong(m.group(2)));
  }

  private static String arrayLiteral(Object[] values) {
    return Arrays.stream(values).map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
  }
}
