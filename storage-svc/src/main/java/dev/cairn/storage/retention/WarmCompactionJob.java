package dev.cairn.storage.retention;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.RetentionTier;
import dev.cairn.store.pg.SegmentCompaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The warm tier under Apache-2 ({@link SegmentCompaction}): re-packs the segments of each trace
 * inside each chunk of one class's segment table that has turned warm ({@link WarmWindow}), oldest
 * chunk first, at most {@link #TRACES_PER_RUN} traces per run. Its watermark is the end of the last
 * chunk it finished, so each chunk is compacted once; a late span that lands in a chunk after that
 * is stored as one more segment of its trace (trace by id reads all of them) and stays as it is.
 */
public final class WarmCompactionJob implements MaintenanceJob {

  /** Traces one step re-packs in one go. */
  static final int TRACES_PER_STEP = 500;

  /** Bounds a run (one transaction), so that it never holds the maintenance thread for long. */
  static final int TRACES_PER_RUN = 20_000;

  /** The chunks of the table inside the window, oldest first. */
  private static final String WARM_CHUNKS =
      "SELECT range_start, range_end FROM timescaledb_information.chunks"
          + " WHERE hypertable_schema = current_schema() AND hypertable_name = ?"
          + " AND range_end > ? AND range_end <= ? ORDER BY range_start";

  /** A chunk's time range, [from, to). */
  private record ChunkRange(Instant from, Instant to) {}

  private final SegmentCompaction compaction;
  private final RetentionClass retention;
  private final RetentionPolicy policy;

  public WarmCompactionJob(RetentionClass retention, RetentionPolicy policy) {
    this.compaction = SegmentCompaction.of(retention);
    this.retention = retention;
    this.policy = policy;
  }

  @Override
  public String name() {
    return "warm-compaction-" + retention.headerValue();
  }

  @Override
  public Result run(Connection connection, Instant now, Optional<Instant> watermark)
      throws SQLException {
    Optional<WarmWindow> window =
        WarmWindow.of(
            now, policy.warmAfter(), policy.period(RetentionTier.of(retention)), watermark);
    if (window.isEmpty()) {
      return new Result(Map.of(compaction.table(), 0), watermark);
    }
    Optional<Instant> finished = watermark;
    int traces = 0;
    int segmentsRemoved = 0;
    chunks:
    for (ChunkRange chunk : chunks(connection, window.get())) {
      while (true) {
        int budget = Math.min(TRACES_PER_STEP, TRACES_PER_RUN - traces);
        if (budget == 0) {
          break chunks; // the next run goes on with this chunk
        }
        SegmentCompaction.Step step = compaction.step(connection, chunk.from(), chunk.to(), budget);
        traces += step.traces();
        segmentsRemoved += step.segmentsRead() - step.segmentsWritten();
        if (step.traces() < budget) {
          break; // no candidate left in this chunk
        }
      }
      finished = Optional.of(chunk.to());
    }
    return new Result(Map.of(compaction.table(), segmentsRemoved), finished);
  }

  private List<ChunkRange> chunks(Connection connection, WarmWindow window) throws SQLException {
    List<ChunkRange> chunks = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(WARM_CHUNKS)) {
      statement.setString(1, compaction.table());
      statement.setObject(2, window.after().atOffset(ZoneOffset.UTC));
      statement.setObject(3, window.until().atOffset(ZoneOffset.UTC));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          chunks.add(
              new ChunkRange(
                  rows.getObject(1, OffsetDateTime.class).toInstant(),
                  rows.getObject(2, OffsetDateTime.class).toInstant()));
        }
      }
    }
    return chunks;
  }
}
