package dev.cairn.store.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Which dictionary a writer compresses segments with: the newest one stored when it first writes,
 * else one it trains on its own first segments ({@link DictionaryTraining}) and stores in the
 * transaction of the batch that first uses it, so that no committed payload names a dictionary that
 * is not stored. Until then segments are compressed without a dictionary. Thread-safe.
 */
final class SegmentCompression {

  /** One batch's payloads and the dictionary they use, to adopt once the batch committed. */
  record Compressed(byte[][] payloads, SegmentDictionary dictionary) {}

  private final SegmentDictionaries dictionaries;
  private final DictionaryTraining training;
  private SegmentDictionary current;
  private SegmentDictionary trained;
  private boolean lookedUp;

  SegmentCompression(SegmentDictionaries dictionaries, DictionaryTraining training) {
    this.dictionaries = dictionaries;
    this.training = training;
  }

  /** Compresses one batch's raw payloads inside its transaction. */
  Compressed compress(Connection connection, List<byte[]> raw) throws SQLException {
    SegmentDictionary dictionary = dictionary(connection, raw);
    return new Compressed(SegmentCodec.compressAll(raw, dictionary), dictionary);
  }

  /** After the batch's commit: its dictionary is stored, use it from now on. */
  synchronized void committed(Compressed batch) {
    if (batch.dictionary() != null && current == null) {
      current = batch.dictionary();
      trained = null;
    }
  }

  private SegmentDictionary dictionary(Connection connection, List<byte[]> raw)
      throws SQLException {
    SegmentDictionary candidate;
    synchronized (this) {
      if (current != null) {
        return current;
      }
      if (!lookedUp) {
        current = dictionaries.newest(connection).orElse(null);
        lookedUp = true;
        if (current != null) {
          return current;
        }
      }
      if (trained == null) {
        trained = training.offer(raw).orElse(null);
      }
      candidate = trained;
    }
    if (candidate == null) {
      return null;
    }
    if (!SegmentDictionaries.insert(connection, candidate)) {
      synchronized (this) {
        if (trained == candidate) {
          trained = null; // its id names another dictionary: train again on later segments
        }
      }
      return null;
    }
    dictionaries.remember(candidate);
    return candidate;
  }
}
