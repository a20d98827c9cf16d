package dev.cairn.storage.retention;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.RetentionTier;
import dev.cairn.store.pg.SegmentCompaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

  private final SegmentCompaction compaction;
  private final RetentionClass retention;
  private final RetentionPolicy policy;
  private final int tracesPerRun;

  public WarmCompactionJob(RetentionClass retention, RetentionPolicy policy) {
    this(retention, policy, TRACES_PER_RUN);
  }

  WarmCompactionJob(RetentionClass retention, RetentionPolicy policy, int tracesPerRun) {
    this.compaction = SegmentCompaction.of(retention);
    this.retention = retention;
    this.policy = policy;
    this.tracesPerRun = tracesPerRun;
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
    for (WarmChunks.Chunk chunk :
        WarmChunks.of(connection, compaction.table(), window.get(), Integer.MAX_VALUE)) {
      int budget = tracesPerRun - traces;
      // one pass over the chunk for its candidates, one more than the budget to tell whether
      // the chunk is done
      List<UUID> candidates =
          compaction.candidates(connection, chunk.from(), chunk.to(), budget + 1);
      List<UUID> taken = candidates.subList(0, Math.min(budget, candidates.size()));
      for (int i = 0; i < taken.size(); i += TRACES_PER_STEP) {
        SegmentCompaction.Step step =
            compaction.compact(
                connection,
                chunk.from(),
                chunk.to(),
                taken.subList(i, Math.min(i + TRACES_PER_STEP, taken.size())));
        segmentsRemoved += step.segmentsRead() - step.segmentsWritten();
      }
      traces += taken.size();
      if (candidates.size() > budget) {
        break; // the run's budget is spent: the next run goes on with this chunk
      }
      finished = Optional.of(chunk.to());
    }
    return new Result(Map.of(compaction.table(), segmentsRemoved), finished);
  }
}
