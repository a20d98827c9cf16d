package dev.cairn.store.pg;

import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/**
 * Every table of the store that grows with spans, with its retention class and the time column it
 * is partitioned on: retention drops their chunks older than the class keeps (the retention job
 * reads this list; the names are fixed here, never taken from input).
 */
public final class StoreTables {

  /** A hypertable whose chunks retention drops. */
  public record RetentionTarget(String table, RetentionClass retention, String timeColumn) {}

  public static final List<RetentionTarget> RETENTION_TARGETS =
      List.of(
          new RetentionTarget("trace_segments_standard", RetentionClass.STANDARD, "start_time"),
          new RetentionTarget("trace_segments_extended", RetentionClass.EXTENDED, "start_time"),
          new RetentionTarget(
              "trace_summaries_standard", RetentionClass.STANDARD, "partition_time"),
          new RetentionTarget(
              "trace_summaries_extended", RetentionClass.EXTENDED, "partition_time"));

  private StoreTables() {}

  static String segments(RetentionClass retention) {
    return retention == RetentionClass.EXTENDED
        ? "trace_segments_extended"
        : "trace_segments_standard";
  }

  static String summaries(RetentionClass retention) {
    return retention == RetentionClass.EXTENDED
        ? "trace_summaries_extended"
        : "trace_summaries_standard";
  }
}
