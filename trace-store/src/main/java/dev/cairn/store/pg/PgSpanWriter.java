package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreFailure;
import dev.cairn.store.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Writes spans to TimescaleDB with plain JDBC, in one transaction per batch.
 *
 * <p>Contract (the one {@link SpanWriter} states): {@link #write} returns only after the
 * transaction that holds the whole batch committed, so the batch is durable on return; it is
 * idempotent, so a Kafka consumer may replay a batch after a crash: a span already stored (same
 * trace id, span id and start time) is skipped, and the trace summary is updated only from the rows
 * this call newly inserted, so a replay changes no count.
 *
 * <p>The path: COPY the batch (text format) into a session-local temporary table, then one
 * statement {@code INSERT INTO spans_x SELECT ... ON CONFLICT DO NOTHING RETURNING ...} whose
 * returned rows feed the summary upsert; then the operations catalog, skipping operations a bounded
 * in-memory cache already knows. A span refers to its resource by id; the batch's resources are
 * upserted into {@code resources} in the same transaction, except those this writer stored within
 * the last hour ({@link ResourceCache}). COPY rather than a multi-row INSERT because one statement
 * binds at most 65,535 parameters (a 5,000-span batch has 23 columns per span), while COPY streams
 * any number of rows.
 *
 * <p>Thread-safe: each call takes its own connection from the data source.
 */
public final class PgSpanWriter implements SpanWriter {

  /** Distinct operations remembered as already catalogued. */
  public static final int DEFAULT_OPERATION_CACHE_SIZE = 10_000;

  /** Distinct resources remembered as stored. */
  public static final int DEFAULT_RESOURCE_CACHE_SIZE = 100_000;

  /** How often a writer restates a resource in use, moving its last_seen (retention) forward. */
  private static final Duration RESOURCE_REFRESH = Duration.ofHours(1);

  private static final String CREATE_STAGING =
      "CREATE TEMP TABLE IF NOT EXISTS cairn_span_staging (LIKE spans_standard)"
          + " ON COMMIT DELETE ROWS";

  private static final String COPY_STAGING =
      "COPY cairn_span_staging (" + SpanCopyEncoder.COLUMNS + ") FROM STDIN";

  /**
   * Table names come from this fixed map (never from input). The summary takes, per trace, the
   * earliest and latest start, the latest end, the root (a span without parent beats the earliest
   * span), counts and services of the rows just inserted, and merges them into an existing row.
   */
  private static final Map<RetentionClass, String> INSERT_AND_SUMMARIZE =
      new EnumMap<>(RetentionClass.class);

  static {
    INSERT_AND_SUMMARIZE.put(RetentionClass.STANDARD, insertAndSummarize("spans_standard"));
    INSERT_AND_SUMMARIZE.put(RetentionClass.EXTENDED, insertAndSummarize("spans_extended"));
  }

  /**
   * Sorted by id, so that concurrent writers lock rows in one order; an existing row only has its
   * last_seen moved forward (the document of an id never changes: the id is its hash).
   */
  private static final String UPSERT_RESOURCES =
      "INSERT INTO resources (resource_id, resource, tags, last_seen)"
          + " SELECT id, document::jsonb, tags::jsonb, now()"
          + " FROM unnest(?::uuid[], ?::text[], ?::text[]) AS r(id, document, tags) ORDER BY id"
          + " ON CONFLICT (resource_id) DO UPDATE SET last_seen = excluded.last_seen";

  private static final String CATALOG_OPERATIONS =
      "INSERT INTO operations (service_name, span_name, kind)"
          + " SELECT * FROM unnest(?::text[], ?::text[], ?::smallint[])"
          + " ON CONFLICT DO NOTHING";

  private final DataSource dataSource;
  private final OperationCache knownOperations;
  private final ResourceCache storedResources =
      new ResourceCache(DEFAULT_RESOURCE_CACHE_SIZE, RESOURCE_REFRESH, System::nanoTime);

  public PgSpanWriter(DataSource dataSource) {
    this(dataSource, DEFAULT_OPERATION_CACHE_SIZE);
  }

  public PgSpanWriter(DataSource dataSource, int operationCacheSize) {
    this.dataSource = dataSource;
    this.knownOperations = new OperationCache(operationCacheSize);
  }

  /**
   * @throws StoreUnavailableException when the transaction failed for a reason that may pass
   *     ({@link StoreFailure#TRANSIENT}: connection lost, shutdown, deadlock, resources); retry it
   * @throws InvalidSpanBatchException when the database refused the data itself ({@link
   *     StoreFailure#PERMANENT}); retrying the same batch fails the same way
   */
  @Override
  public void write(RetentionClass retention, List<Span> spans) {
    if (spans.isEmpty()) {
      return;
    }
    SpanCopyEncoder.EncodedBatch batch = SpanCopyEncoder.encode(spans);
    List<ResourceRow> resources = storedResources.toWrite(batch.resources());
    TreeSet<OperationCache.Key> newOperations = knownOperations.unknownOf(spans);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        writeInTransaction(connection, retention, batch.rows(), resources, newOperations);
        connection.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new StoreUnavailableException("COPY into the store failed: " + e.getMessage(), e);
    }
    storedResources.written(resources);
    knownOperations.addAll(newOperations);
  }

  private static void writeInTransaction(
      Connection connection,
      RetentionClass retention,
      byte[] rows,
      List<ResourceRow> resources,
      TreeSet<OperationCache.Key> newOperations)
      throws SQLException, IOException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE_STAGING);
    }
    connection
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(COPY_STAGING, new ByteArrayInputStream(rows));
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(INSERT_AND_SUMMARIZE.get(retention));
    }
    if (!resources.isEmpty()) {
      upsertResources(connection, resources);
    }
    if (!newOperations.isEmpty()) {
      catalog(connection, newOperations);
    }
  }

  private static void upsertResources(Connection connection, List<ResourceRow> resources)
      throws SQLException {
    Object[] ids = new Object[resources.size()];
    Object[] documents = new Object[resources.size()];
    Object[] tags = new Object[resources.size()];
    for (int i = 0; i < resources.size(); i++) {
      ids[i] = resources.get(i).id();
      documents[i] = resources.get(i).document();
      tags[i] = resources.get(i).tags();
    }
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_RESOURCES)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids));
      statement.setArray(2, connection.createArrayOf("text", documents));
      statement.setArray(3, connection.createArrayOf("text", tags));
      statement.executeUpdate();
    }
  }

  private static void catalog(Connection connection, TreeSet<OperationCache.Key> operations)
      throws SQLException {
    List<String> services = new ArrayList<>(operations.size());
    List<String> names = new ArrayList<>(operations.size());
    List<Short> kinds = new ArrayList<>(operations.size());
    for (OperationCache.Key key : operations) {
      services.add(key.service());
      names.add(key.name());
      kinds.add((short) key.kind());
    }
    try (PreparedStatement statement = connection.prepareStatement(CATALOG_OPERATIONS)) {
      statement.setArray(1, connection.createArrayOf("text", services.toArray()));
      statement.setArray(2, connection.createArrayOf("text", names.toArray()));
      statement.setArray(3, connection.createArrayOf("int2", kinds.toArray()));
      statement.executeUpdate();
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  /** Permanent failures (the batch's data, {@link StoreFailure}) cannot pass on retry. */
  static RuntimeException translate(SQLException e) {
    String state = e.getSQLState();
    if (StoreFailure.of(e) == StoreFailure.PERMANENT) {
      return new InvalidSpanBatchException(
          state, "the store refused the batch (SQLState " + state + "): " + e.getMessage(), e);
    }
    return new StoreUnavailableException(
        "the store could not take the batch (SQLState " + state + "): " + e.getMessage(), e);
  }

  private static String insertAndSummarize(String table) {
    return "WITH inserted AS ("
        + " INSERT INTO "
        + table
        + " ("
        + SpanCopyEncoder.COLUMNS
        + ") SELECT "
        + SpanCopyEncoder.COLUMNS
        + " FROM cairn_span_staging"
        + " ON CONFLICT (trace_id, span_id, start_time) DO NOTHING"
        + " RETURNING trace_id, start_time, start_unix_nano, end_unix_nano, service_name, name,"
        + " parent_span_id IS NULL AS parentless, status_code),"
        + " per_trace AS ("
        + " SELECT trace_id, min(start_time) AS start_time, max(start_time) AS last_span_start,"
        + " min(start_unix_nano) AS start_unix_nano, max(end_unix_nano) AS end_unix_nano,"
        + " (array_agg(service_name ORDER BY parentless DESC, start_unix_nano, service_name, name))[1]"
        + " AS root_service_name,"
        + " (array_agg(name ORDER BY parentless DESC, start_unix_nano, service_name, name))[1]"
        + " AS root_span_name,"
        + " bool_or(parentless) AS root_is_parentless,"
        + " (array_agg(start_unix_nano ORDER BY parentless DESC, start_unix_nano))[1]"
        + " AS root_start_unix_nano,"
        + " count(*)::int AS span_count,"
        + " (count(*) FILTER (WHERE status_code = 2))::int AS error_count,"
        + " array_agg(DISTINCT service_name COLLATE \"C\" ORDER BY service_name COLLATE \"C\") AS services"
        + " FROM inserted GROUP BY trace_id)"
        + " INSERT INTO trace_summaries AS t (trace_id, start_time, last_span_start,"
        + " start_unix_nano, end_unix_nano, root_service_name, root_span_name, root_is_parentless,"
        + " root_start_unix_nano, span_count, error_count, services)"
        + " SELECT trace_id, start_time, last_span_start, start_unix_nano, end_unix_nano,"
        + " root_service_name, root_span_name, root_is_parentless, root_start_unix_nano,"
        + " span_count, error_count, services FROM per_trace ORDER BY trace_id"
        + " ON CONFLICT (trace_id) DO UPDATE SET"
        + " start_time = least(t.start_time, excluded.start_time),"
        + " last_span_start = greatest(t.last_span_start, excluded.last_span_start),"
        + " start_unix_nano = least(t.start_unix_nano, excluded.start_unix_nano),"
        + " end_unix_nano = greatest(t.end_unix_nano, excluded.end_unix_nano),"
        + rootColumn("root_service_name")
        + ","
        + rootColumn("root_span_name")
        + ","
        + rootColumn("root_is_parentless")
        + ","
        + rootColumn("root_start_unix_nano")
        + ","
        + " span_count = t.span_count + excluded.span_count,"
        + " error_count = t.error_count + excluded.error_count,"
        + " services = ARRAY(SELECT DISTINCT s COLLATE \"C\" FROM unnest(t.services || excluded.services) AS s"
        + " ORDER BY 1)";
  }

  private static String rootColumn(String column) {
    return " "
        + column
        + " = CASE WHEN (excluded.root_is_parentless AND NOT t.root_is_parentless)"
        + " OR (excluded.root_is_parentless = t.root_is_parentless"
        + " AND excluded.root_start_unix_nano < t.root_start_unix_nano)"
        + " THEN excluded."
        + column
        + " ELSE t."
        + column
        + " END";
  }
}
