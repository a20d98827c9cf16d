package dev.cairn.store.pg;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The zstd dictionaries segment payloads name, as stored in {@code segment_dictionaries} (V9), with
 * those already read kept in memory: a dictionary never changes, so a cached one is never stale.
 * Read over JDBC (the writer) or a Vert.x pool (the reader). Thread-safe.
 */
final class SegmentDictionaries {

  /** Dictionaries kept in memory: a deployment trains one, or a few when writers raced. */
  static final int CACHE_SIZE = 64;

  private static final String NEWEST =
      "SELECT dictionary FROM segment_dictionaries ORDER BY created_at DESC, dictionary_id DESC"
          + " LIMIT 1";
  private static final String BY_IDS =
      "SELECT dictionary FROM segment_dictionaries WHERE dictionary_id = ANY (?)";
  private static final String BY_IDS_POOL =
      "SELECT dictionary FROM segment_dictionaries WHERE dictionary_id = ANY ($1)";
  private static final String INSERT =
      "INSERT INTO segment_dictionaries (dictionary_id, dictionary) VALUES (?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String BY_ID =
      "SELECT dictionary FROM segment_dictionaries WHERE dictionary_id = ?";

  private final Map<Integer, SegmentDictionary> known =
      Collections.synchronizedMap(new LruMap<>(CACHE_SIZE));

  /** The dictionary of an id if read already, else null: the lookup {@link SegmentCodec} takes. */
  SegmentDictionary known(int id) {
    return known.get(id);
  }

  void remember(SegmentDictionary dictionary) {
    known.put(dictionary.id(), dictionary);
  }

  /** The dictionary ids the payloads need that are not in memory. */
  Set<Integer> missing(Iterable<byte[]> payloads) {
    Set<Integer> ids = new TreeSet<>();
    for (byte[] payload : payloads) {
      int id = SegmentCodec.dictionaryId(payload);
      if (id != SegmentCodec.NO_DICTIONARY && !known.containsKey(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** The newest stored dictionary, remembered. */
  Optional<SegmentDictionary> newest(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(NEWEST);
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      SegmentDictionary dictionary = new SegmentDictionary(rows.getBytes(1));
      remember(dictionary);
      return Optional.of(dictionary);
    }
  }

  /** Reads the dictionaries of {@code ids} into memory (ids not stored stay unknown). */
  void load(Connection connection, Set<Integer> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(BY_IDS)) {
      statement.setArray(1, connection.createArrayOf("int4", ids.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          remember(new SegmentDictionary(rows.getBytes(1)));
        }
      }
    }
  }

  /** Same as {@link #load(Connection, Set)} through a Vert.x pool. */
  Uni<Void> load(Pool pool, Set<Integer> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pool.preparedQuery(BY_IDS_POOL)
        .execute(Tuple.of(ids.toArray(Integer[]::new)))
        .invoke(
            rows -> {
              for (Row row : rows) {
                remember(new SegmentDictionary(row.getBuffer("dictionary").getBytes()));
              }
            })
        .replaceWithVoid();
  }

  /**
   * Stores a dictionary in the caller's transaction; storing it again changes nothing.
   *
   * @return false when another dictionary is stored under its id (zstd derives the id from a hash
   *     of the content, so two writers' dictionaries may collide, however rarely): payloads
   *     compressed with this one would then decode with the other, so it must not be used
   */
  static boolean insert(Connection connection, SegmentDictionary dictionary) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      statement.setInt(1, dictionary.id());
      statement.setBytes(2, dictionary.bytes());
      if (statement.executeUpdate() == 1) {
        return true;
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(BY_ID)) {
      statement.setInt(1, dictionary.id());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() && dictionary.sameBytes(rows.getBytes(1));
      }
    }
  }
}
