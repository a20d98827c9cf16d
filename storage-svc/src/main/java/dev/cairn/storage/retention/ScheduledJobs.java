package dev.cairn.storage.retention;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreTables;
import java.util.ArrayList;
import java.util.List;

/**
 * Which maintenance jobs every tick runs, in order (pure; the scheduler runs them): the rollup;
 * under Apache-2 also the retention run, the warm compaction of each class and then the rebuild of
 * the warm chunks' indexes (after the compaction, whose deletes and inserts would otherwise grow
 * the rebuilt indexes), each when configured; and the copy of spans still in the V1–V5 layout into
 * segments. Under the Community licence TimescaleDB's own policies retain and compress.
 */
public final class ScheduledJobs {

  private ScheduledJobs() {}

  public static List<MaintenanceJob> of(
      LicenceMode mode,
      boolean warmCompaction,
      boolean rebuildWarmIndexes,
      MaintenancePlanner planner,
      SpanWriter writer) {
    List<MaintenanceJob> jobs = new ArrayList<>();
    jobs.add(new RollupJob(planner));
    if (mode == LicenceMode.APACHE) {
      jobs.add(new RetentionJob(planner, mode));
      if (warmCompaction) {
        for (RetentionClass retention : RetentionClass.values()) {
          jobs.add(new WarmCompactionJob(retention, planner.policy()));
        }
      }
      if (rebuildWarmIndexes) {
        for (RetentionClass retention : RetentionClass.values()) {
          jobs.add(new IndexRebuildJob(StoreTables.segments(retention), planner.policy()));
          jobs.add(new IndexRebuildJob(StoreTables.summaries(retention), planner.policy()));
        }
      }
    }
    for (RetentionClass retention : RetentionClass.values()) {
      jobs.add(new LegacyCopyJob(retention, planner.policy(), writer));
    }
    return List.copyOf(jobs);
  }
}
