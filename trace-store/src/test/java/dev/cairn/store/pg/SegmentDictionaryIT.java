package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dictionary's life in the store: trained by a writer on its first segments and stored with the
 * first batch that uses it, adopted by a writer that starts later, read by a reader that never saw
 * it; two writers that train at once each keep their own, and both sets of segments read back.
 */
class SegmentDictionaryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Few enough bytes that a batch of {@link DictionaryTraining#MIN_SAMPLES} traces trains. */
  private static final int SAMPLE_BYTES = 16 << 10;

  private TestDatabase database;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
  }

  @AfterEach
  void dropSchema() {
    database.close();
  }

  private PgSpanWriter newWriter() {
    return new PgSpanWriter(
        database.dataSource(),
        PgSpanWriter.DEFAULT_OPERATION_CACHE_SIZE,
        new DictionaryTraining(SAMPLE_BYTES),
        new SegmentStopTerms(StopTermSettings.DEFAULT));
  }

  private static List<Span> flat(List<List<Span>> traces) {
    return traces.stream().flatMap(List::stream).toList();
  }

  @Test
  void aWriterTrainsOnItsFirstSegmentsAndEveryPayloadReadsBackInAFreshReader() throws Exception {
    PgSpanWriter writer = newWriter();
    List<List<Span>> few = SegmentCodecTest.traces(4, 6);
    List<List<Span>> enough = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 6);
    List<List<Span>> later = SegmentCodecTest.traces(5, 6);
    writer.write(RetentionClass.STANDARD, flat(few)); // too few samples: no dictionary yet
    writer.write(RetentionClass.STANDARD, flat(enough)); // trains, and uses it at once
    writer.write(RetentionClass.STANDARD, flat(later));

    Map<Integer, Integer> stored = storedDictionaries();
    assertThat(stored).hasSize(1);
    int id = stored.keySet().iterator().next();
    assertThat(segmentsByDictionary())
        .containsEntry(SegmentCodec.NO_DICTIONARY, few.size())
        .containsEntry(id, enough.size() + later.size())
        .hasSize(2);

    PgTraceReader reader = new PgTraceReader(database.pool());
    List<List<Span>> all = new ArrayList<>(few);
    all.addAll(enough);
    all.addAll(later);
    for (List<Span> trace : all) {
      assertThat(reader.findTrace(trace.get(0).traceId(), 1_000).await().atMost(TIMEOUT).spans())
          .isEqualTo(trace);
    }
    assertThat(
            reader
                .findTraces(List.of(few.get(0).get(0).traceId(), later.get(0).get(0).traceId()), 99)
                .await()
                .atMost(TIMEOUT))
        .extracting(found -> found.spans())
        .containsExactly(few.get(0), later.get(0));
  }

  @Test
  void aRestartedWriterAdoptsTheStoredDictionaryAndAReplayedBatchAddsNothing() throws Exception {
    List<List<Span>> first = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 6);
    newWriter().write(RetentionClass.STANDARD, flat(first));
    int id = storedDictionaries().keySet().iterator().next();

    PgSpanWriter restarted = newWriter();
    restarted.write(RetentionClass.STANDARD, flat(first)); // the replay decodes dictionary payloads
    List<List<Span>> next = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 6);
    restarted.write(RetentionClass.STANDARD, flat(next));

    assertThat(storedDictionaries()).containsOnlyKeys(id);
    assertThat(segmentsByDictionary()).containsOnly(Map.entry(id, first.size() + next.size()));
    PgTraceReader reader = new PgTraceReader(database.pool());
    assertThat(reader.findTrace(first.get(3).get(0).traceId(), 99).await().atMost(TIMEOUT).spans())
        .isEqualTo(first.get(3));
  }

  @Test
  void twoWritersThatTrainAtOnceEachStoreTheirOwnAndBothRead() throws Exception {
    PgSpanWriter a = newWriter();
    PgSpanWriter b = newWriter();
    // both look for a stored dictionary before either has one
    List<List<Span>> beforeA = SegmentCodecTest.traces(2, 3);
    List<List<Span>> beforeB = SegmentCodecTest.traces(2, 3);
    a.write(RetentionClass.STANDARD, flat(beforeA));
    b.write(RetentionClass.STANDARD, flat(beforeB));
    List<List<Span>> ofA = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 6);
    List<List<Span>> ofB = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 6);
    a.write(RetentionClass.STANDARD, flat(ofA));
    b.write(RetentionClass.STANDARD, flat(ofB));

    assertThat(storedDictionaries()).hasSize(2);
    assertThat(segmentsByDictionary()).hasSize(3); // none, A's, B's
    PgTraceReader reader = new PgTraceReader(database.pool());
    for (List<Span> trace : List.of(ofA.get(0), ofB.get(0), ofA.get(9), ofB.get(9))) {
      assertThat(reader.findTrace(trace.get(0).traceId(), 99).await().atMost(TIMEOUT).spans())
          .isEqualTo(trace);
    }
  }

  @Test
  void warmCompactionDecodesDictionaryPayloadsAndCompressesWithTheStoredDictionary()
      throws Exception {
    PgSpanWriter writer = newWriter();
    List<List<Span>> traces = SegmentCodecTest.traces(DictionaryTraining.MIN_SAMPLES + 8, 12);
    // each trace in two batches: the first trains the dictionary, both use it
    writer.write(RetentionClass.STANDARD, flat(traces.stream().map(t -> t.subList(0, 6)).toList()));
    writer.write(
        RetentionClass.STANDARD, flat(traces.stream().map(t -> t.subList(6, 12)).toList()));
    int id = storedDictionaries().keySet().iterator().next();
    assertThat(segmentsByDictionary()).containsOnly(Map.entry(id, 2 * traces.size()));
    PgTraceReader reader = new PgTraceReader(database.pool());
    List<List<Span>> before = new ArrayList<>();
    for (List<Span> trace : traces) {
      before.add(reader.findTrace(trace.get(0).traceId(), 99).await().atMost(TIMEOUT).spans());
    }

    SegmentCompaction.Step step;
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      step =
          SegmentCompaction.of(RetentionClass.STANDARD)
              .step(connection, Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), 1_000);
      connection.commit();
    }

    assertThat(step.traces()).isEqualTo(traces.size());
    assertThat(segmentsByDictionary()).containsOnly(Map.entry(id, traces.size()));
    PgTraceReader fresh = new PgTraceReader(database.pool());
    for (int i = 0; i < traces.size(); i++) {
      assertThat(
              fresh.findTrace(traces.get(i).get(0).traceId(), 99).await().atMost(TIMEOUT).spans())
          .isEqualTo(before.get(i))
          .hasSize(12);
    }
  }

  @Test
  void aDictionaryWhoseIdIsStoredForOtherBytesIsRefused() throws SQLException {
    SegmentDictionary stored = SegmentCodecTest.trainedDictionary();
    byte[] bytes = stored.bytes();
    bytes[bytes.length - 1] ^= 1; // same header and id, other content
    SegmentDictionary collides = new SegmentDictionary(bytes);
    assertThat(collides.id()).isEqualTo(stored.id());
    try (Connection connection = database.dataSource().getConnection()) {
      assertThat(SegmentDictionaries.insert(connection, stored)).isTrue();
      assertThat(SegmentDictionaries.insert(connection, stored)).isTrue();
      assertThat(SegmentDictionaries.insert(connection, collides)).isFalse();
    }
  }

  /** Stored dictionaries: id to size. */
  private Map<Integer, Integer> storedDictionaries() throws SQLException {
    Map<Integer, Integer> found = new TreeMap<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT dictionary_id, length(dictionary) FROM segment_dictionaries")) {
      while (rows.next()) {
        found.put(rows.getInt(1), rows.getInt(2));
      }
    }
    return found;
  }

  /** Stored segments by the dictionary their payload names. */
  private Map<Integer, Integer> segmentsByDictionary() throws SQLException {
    Map<Integer, Integer> found = new TreeMap<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT payload FROM trace_segments")) {
      while (rows.next()) {
        found.merge(SegmentCodec.dictionaryId(rows.getBytes(1)), 1, Integer::sum);
      }
    }
    return found;
  }
}
