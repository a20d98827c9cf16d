package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The term-day catalog (V11): the writer lists each search term on the days of the segments holding
 * it, and a search reads segments only on the days that hold every term it requires, or on days the
 * catalog does not cover (before its {@code since}).
 */
class TermDayCatalogIT {

  private static final Instant DAY_1 = Instant.parse("2022-05-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  private TestDatabase database;
  private PgTraceReader reader;
  private final List<TraceId> common = new ArrayList<>();
  private TraceId rare;

  /** Day 1: a trace with the rare tag; days 2 and 3: a trace with the common tag each. */
  @BeforeEach
  void writeThreeDays() {
    database = TestDatabase.createSchema();
    reader = new PgTraceReader(database.pool());
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    rare = write(writer, DAY_1.plus(Duration.ofHours(5)), "rare", "yes");
    common.add(write(writer, DAY_1.plus(DAY).plus(Duration.ofHours(3)), "common", "x"));
    common.add(write(writer, DAY_1.plus(DAY.multipliedBy(2)), "common", "x"));
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void theWriterListsATermOnTheDaysOfItsSegmentsOnly() throws SQLException {
    int rareTerm = SearchTerms.hash('t', "rare", "yes");
    int commonTerm = SearchTerms.hash('t', "common", "x");
    assertThat(daysOf(rareTerm)).containsExactly(DAY_1.toString());
    assertThat(daysOf(commonTerm))
        .containsExactly(DAY_1.plus(DAY).toString(), DAY_1.plus(DAY.multipliedBy(2)).toString());
    // a fresh database: the catalog covers every day
    assertThat(
            database.scalar("SELECT since::text FROM search_catalogs WHERE catalog = 'term_days'"))
        .isEqualTo("-infinity");
  }

  @Test
  void aSearchReadsOnlyTheDaysTheCatalogListsForEveryTerm() throws SQLException {
    assertThat(traces(search("rare", "yes", 10))).containsExactly(rare);
    // the catalog, not the segments, answers for covered days: without the term's row the
    // segment that holds it is not read
    database.execute(
        "DELETE FROM search_term_days WHERE term = " + SearchTerms.hash('t', "rare", "yes"));
    assertThat(traces(search("rare", "yes", 10))).isEmpty();
    assertThat(traces(search("absent", "tag", 10))).isEmpty();
  }

  @Test
  void pagesAcrossTheCataloguedDaysAreThoseOfTheSegments() {
    TracePage first =
        reader.search(search("common", "x", 1)).await().atMost(Duration.ofSeconds(30));
    assertThat(traces(first)).containsExactly(common.get(1));
    TracePage second =
        reader
            .search(TraceQueryBuilder.from(search("common", "x", 1)).after(first.next()).build())
            .await()
            .atMost(Duration.ofSeconds(30));
    assertThat(traces(second)).containsExactly(common.get(0));
  }

  @Test
  void daysBeforeTheCatalogsStartAreReadFromTheSegments() throws SQLException {
    // as after an upgrade: the catalog starts after the stored segments and holds none of them
    database.execute("DELETE FROM search_term_days");
    database.execute(
        "UPDATE search_catalogs SET since = '"
            + DAY_1.plus(DAY.multipliedBy(30))
            + "' WHERE catalog = 'term_days'");
    assertThat(traces(search("rare", "yes", 10))).containsExactly(rare);
    assertThat(traces(search("common", "x", 10))).containsExactly(common.get(1), common.get(0));

    // covering from day 2 on, with day 2's rows only: day 1 is read from its segments, day 3 not
    database.execute(
        "UPDATE search_catalogs SET since = '" + DAY_1.plus(DAY) + "' WHERE catalog = 'term_days'");
    database.execute(
        "INSERT INTO search_term_days VALUES ("
            + SearchTerms.hash('t', "common", "x")
            + ", '"
            + DAY_1.plus(DAY)
            + "')");
    assertThat(traces(search("rare", "yes", 10))).containsExactly(rare);
    assertThat(traces(search("common", "x", 10))).containsExactly(common.get(0));
  }

  private TraceId write(PgSpanWriter writer, Instant at, String key, String value) {
    TraceId id = randomTraceId();
    long nanos = PgTraceReader.unixNano(at);
    writer.write(
        RetentionClass.STANDARD,
        List.of(
            withAttributes(
                span(id, randomSpanId(), Optional.empty(), "svc", "op", nanos, 1_000_000L),
                List.of(Attribute.of(key, value)))));
    return id;
  }

  private static TraceQuery search(String key, String value, int limit) {
    return TraceQueryBuilder.between(DAY_1, DAY_1.plus(DAY.multipliedBy(3)))
        .tag(key, value)
        .limit(limit)
        .build();
  }

  private List<TraceId> traces(TraceQuery query) {
    return traces(reader.search(query).await().atMost(Duration.ofSeconds(30)));
  }

  private static List<TraceId> traces(TracePage page) {
    return page.traces().stream().map(TraceSummary::traceId).toList();
  }

  private List<String> daysOf(int term) throws SQLException {
    List<String> days = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT seen_day FROM search_term_days WHERE term = "
                    + term
                    + " ORDER BY seen_day")) {
      while (rows.next()) {
        days.add(rows.getTimestamp(1).toInstant().toString());
      }
    }
    return days;
  }
}
