package dev.cairn.storage.retention;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.RetentionTier;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.pg.LegacySpanCopy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Copies the spans of one class still in the V1–V5 layout's table into segments (migration V6),
 * oldest first, at most {@link #SPANS_PER_RUN} per run; its watermark is where the next run starts.
 * Spans older than their class keeps are not copied (retention drops them anyway). Once the old
 * table holds nothing at or after the watermark, a run costs one indexed probe.
 */
public final class LegacyCopyJob implements MaintenanceJob {

  /** Spans one step reads and writes in one writer transaction. */
  static final int SPANS_PER_STEP = 5_000;

  /** Bounds a run, so that the copy never holds the maintenance thread for long. */
  static final int SPANS_PER_RUN = 100_000;

  private final LegacySpanCopy copy;
  private final RetentionClass retention;
  private final RetentionPolicy policy;
  private final SpanWriter writer;

  public LegacyCopyJob(RetentionClass retention, RetentionPolicy policy, SpanWriter writer) {
    this.copy = LegacySpanCopy.of(retention);
    this.retention = retention;
    this.policy = policy;
    this.writer = writer;
  }

  @Override
  public String name() {
    return "legacy-copy-" + retention.headerValue();
  }

  @Override
  public Result run(Connection connection, Instant now, Optional<Instant> watermark)
      throws SQLException {
    Instant expired = now.minus(policy.period(RetentionTier.of(retention)));
    Instant from = watermark.filter(w -> w.isAfter(expired)).orElse(expired);
    int copied = 0;
    while (copied < SPANS_PER_RUN) {
      LegacySpanCopy.Step step = copy.step(connection, writer, from, SPANS_PER_STEP);
      copied += step.spans();
      from = step.next();
      if (step.spans() < SPANS_PER_STEP) {
        break; // the table holds nothing more after this step
      }
    }
    return new Result(Map.of(copy.table(), copied), Optional.of(from));
  }
}
