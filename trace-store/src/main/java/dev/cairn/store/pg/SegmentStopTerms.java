package dev.cairn.store.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Which stop terms a writer leaves out of its segments' terms: the list stored when it first
 * writes, else one it trains on its own fresh segments ({@link StopTermTraining}) and stores after
 * a batch committed, in a transaction of its own, so that no reader can miss a list that a writer
 * uses. Either way none before the list's grace period has passed. Thread-safe.
 */
final class SegmentStopTerms {

  /** Failed stores of a trained list before the writer gives up and keeps indexing every term. */
  static final int MAX_STORE_ATTEMPTS = 3;

  private final StopTermSettings settings;
  private final StopTermTraining training;
  private final LongSupplier nanoTime;
  private StopTerms adopted;
  private long effectiveAt;
  private boolean lookedUp;
  private StopTerms trained;
  private int storeAttempts;

  SegmentStopTerms(StopTermSettings settings) {
    this(settings, System::nanoTime);
  }

  SegmentStopTerms(StopTermSettings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.training = new StopTermTraining(settings, nanoTime);
    this.nanoTime = nanoTime;
  }

  /** The terms to leave out of the segments written now; reads the stored list on first use. */
  synchronized StopTerms current(Connection connection) throws SQLException {
    if (!lookedUp) {
      StoredStopTerms.load(connection).ifPresent(this::adopt);
      lookedUp = true;
    }
    return adopted != null && nanoTime.getAsLong() - effectiveAt >= 0 ? adopted : StopTerms.NONE;
  }

  /** Whether the writer still counts terms: it has no list yet and has not given up. */
  synchronized boolean training() {
    return adopted == null && storeAttempts < MAX_STORE_ATTEMPTS;
  }

  /**
   * After a batch committed on {@code connection} (not in auto-commit): counts its fresh segments'
   * terms, and once trained stores the list in a transaction of its own. A failed store is rolled
   * back and tried again after a later batch, {@link #MAX_STORE_ATTEMPTS} times at most; it never
   * fails the batch, which is durable already.
   */
  synchronized void committed(Connection connection, List<int[]> segmentTerms) {
    if (!training()) {
      return;
    }
    if (trained == null) {
      trained = training.offer(segmentTerms).orElse(null);
      if (trained == null) {
        return;
      }
    }
    try {
      StoredStopTerms.Stored stored =
          StoredStopTerms.store(connection, trained, training.segments(), settings.grace());
      connection.commit();
      adopt(stored);
    } catch (SQLException e) {
      storeAttempts++;
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is lost; the next batch takes another one
      }
    }
  }

  private void adopt(StoredStopTerms.Stored stored) {
    adopted = stored.terms();
    effectiveAt = nanoTime.getAsLong() + stored.untilEffective().toNanos();
    trained = null;
  }
}
