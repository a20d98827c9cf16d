package dev.cairn.store.pg;

import dev.cairn.store.SpanWriter;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against the real TimescaleDB ({@code cairn_test}), migrated into a schema of
 * this run's own and dropped afterwards, so concurrent runs never see each other's rows.
 */
class PgTraceStoreIT extends TraceStoreContract {

  private static TestDatabase database;
  private static PgSpanWriter writer;
  private static PgTraceReader reader;

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

  @Override
  protected SpanWriter writer() {
    return writer;
  }

  @Override
  protected TraceReader reader() {
    return reader;
  }
}
