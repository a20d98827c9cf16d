package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.StoreTestSpans;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSummary;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resources are stored once and referred to by id; rows written before that (resource inline, no
 * resource_id) still read back and match resource tags.
 */
class ResourceStorageIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long START =
      Instant.parse("2022-03-01T10:00:00Z").getEpochSecond() * 1_000_000_000L;

  private static TestDatabase database;
  private static PgSpanWriter writer;
  private static PgTraceReader reader;

  private final String service = "res-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void migrate() {
    database = TestDatabase.createSchema();
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @AfterAll
  static void dropSchema() {
    database.close();
  }

  @Test
  void aResourceSharedByBatchesAndTracesIsStoredOnce() throws SQLException {
    TraceId first = randomTraceId();
    TraceId second = randomTraceId();
    // equal resources built separately: one id, one row
    writer.write(RetentionClass.STANDARD, List.of(rootSpan(first, START)));
    writer.write(RetentionClass.EXTENDED, List.of(rootSpan(second, START + 1_000)));

    UUID id = ResourceRow.of(rootSpan(first, START).resource()).id();
    assertThat(
            count(
                "SELECT count(*) FROM resources WHERE resource @> jsonb_build_object('a',"
                    + " jsonb_build_array(jsonb_build_object('k', 'service.name', 'v',"
                    + " jsonb_build_object('s', ?::text))))",
                service))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM spans WHERE resource_id = ?::uuid AND resource IS NULL",
                id.toString()))
        .isEqualTo(2);
    for (TraceId trace : List.of(first, second)) {
      List<Span> spans = reader.findTrace(trace, 1000).await().atMost(TIMEOUT).spans();
      assertThat(spans)
          .singleElement()
          .extracting(Span::resource)
          .isEqualTo(rootSpan(first, START).resource());
    }
    assertThat(traces(searchTag("host.name", "h1"))).containsExactly(second, first);
  }

  @Test
  void rowsWithTheirResourceInlineStillReadAndMatchResourceTags() throws SQLException {
    TraceId legacy = randomTraceId();
    Span span = rootSpan(legacy, START + 60_000_000_000L);
    writer.write(RetentionClass.STANDARD, List.of(span));
    // Turn the row into the shape written before resources were stored once.
    execute(
        "UPDATE spans_standard s SET resource = r.resource, tags = r.tags || s.tags,"
            + " resource_id = NULL FROM resources r WHERE r.resource_id = s.resource_id"
            + " AND s.trace_id = ?::uuid",
        SpanCopyEncoder.uuidOf(legacy).toString());
    execute(
        "DELETE FROM resources WHERE resource_id = ?::uuid",
        ResourceRow.of(span.resource()).id().toString());

    assertThat(reader.findTrace(legacy, 1000).await().atMost(TIMEOUT).spans())
        .singleElement()
        .extracting(Span::resource)
        .isEqualTo(span.resource());
    assertThat(traces(searchTag("service.name", service))).containsExactly(legacy);
  }

  @Test
  void theJoinFindsSpansByTheirResourceAndRowsWithTheResourceInline() throws SQLException {
    TraceId byId = randomTraceId();
    TraceId inline = randomTraceId();
    Span span = rootSpan(byId, START + 120_000_000_000L);
    writer.write(
        RetentionClass.STANDARD, List.of(span, rootSpan(inline, START + 121_000_000_000L)));
    execute(
        "UPDATE spans_standard s SET resource = r.resource, tags = r.tags || s.tags,"
            + " resource_id = NULL FROM resources r WHERE r.resource_id = s.resource_id"
            + " AND s.trace_id = ?::uuid",
        SpanCopyEncoder.uuidOf(inline).toString());
    TraceQuery.TagFilter host = new TraceQuery.TagFilter("host.name", "h1");
    TagResources resources =
        TagResources.of(
            List.of(host),
            List.of(
                new TagResources.Match(
                    1,
                    ResourceRow.of(span.resource()).id(),
                    ResourceRow.of(span.resource()).document()),
                new TagResources.Match(
                    1,
                    UUID.randomUUID(),
                    AttributeJson.resource(StoreTestSpans.resource("other")))),
            Optional.of(service));
    TraceQuery query = searchQuery(host);

    // The statement the reader runs when the probe did not fill the page.
    SearchSql join = SearchSql.join(query, resources, Optional.empty(), 21);
    List<UUID> found = new ArrayList<>();
    database
        .pool()
        .preparedQuery(join.text())
        .execute(Tuple.from(join.parameters()))
        .await()
        .atMost(TIMEOUT)
        .forEach(row -> found.add(row.getUUID("trace_id")));
    assertThat(resources.of(host)).as("the other service's resource is left out").hasSize(1);
    assertThat(join.text()).contains("resource_id = ANY");
    assertThat(found).contains(SpanCopyEncoder.uuidOf(byId), SpanCopyEncoder.uuidOf(inline));
  }

  private Span rootSpan(TraceId trace, long start) {
    return span(trace, randomSpanId(), Optional.empty(), service, "GET /", start, 5_000_000L);
  }

  private TracePage searchTag(String key, String value) {
    return reader.search(searchQuery(new TraceQuery.TagFilter(key, value))).await().atMost(TIMEOUT);
  }

  private TraceQuery searchQuery(TraceQuery.TagFilter tag) {
    return TraceQueryBuilder.between(
            Instant.ofEpochSecond(0, START - 1),
            Instant.ofEpochSecond(0, START + 3_600_000_000_000L))
        .service(service)
        .tag(tag.key(), tag.value())
        .build();
  }

  private static List<TraceId> traces(TracePage page) {
    return page.traces().stream().map(TraceSummary::traceId).toList();
  }

  private static long count(String sql, String parameter) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void execute(String sql, String parameter) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
    }
  }
}
