package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with every payload compressed with a zstd dictionary: one is stored before the
 * writer's first batch, so the writer adopts it, and the reader (which has never seen it) reads it
 * from {@code segment_dictionaries}.
 */
class PgTraceStoreWithDictionaryIT extends TraceStoreContract {

  private static TestDatabase database;
  private static PgSpanWriter writer;
  private static PgTraceReader reader;
  private static int dictionaryId;

  @BeforeAll
  static void migrate() throws SQLException {
    database = TestDatabase.createSchema();
    try (Connection connection = database.dataSource().getConnection()) {
      SegmentDictionary dictionary = SegmentCodecTest.trainedDictionary();
      SegmentDictionaries.insert(connection, dictionary);
      dictionaryId = dictionary.id();
    }
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @Test
  void everyPayloadTheContractWroteNamesTheStoredDictionary() throws SQLException {
    writer.write(RetentionClass.STANDARD, SegmentCodecTest.traces(3, 2).get(1));
    Set<Integer> named = new HashSet<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT payload FROM trace_segments")) {
      while (rows.next()) {
        named.add(SegmentCodec.dictionaryId(rows.getBytes(1)));
      }
    }
    assertThat(named).containsExactly(dictionaryId);
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
