package dev.cairn.store.pg;

import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;

/**
 * A statement over both retention classes written as one branch per class's hypertable, each with
 * the conditions inside it. TimescaleDB excludes chunks while planning only for conditions on the
 * hypertable itself: through the {@code trace_segments} view (or any UNION ALL subquery) the same
 * conditions reach the chunks later, and PostgreSQL opens and locks every chunk of both classes to
 * exclude them one by one. At 338 one-hour chunks that made a trace-by-id segment read plan in 8-12
 * ms (1,022 relation locks) against 0.2 ms (13 locks) written this way (docs/benchmarks.md section
 * 13, "Trace by id without the views").
 */
final class BothClasses {

  private BothClasses() {}

  /** {@code SELECT columns FROM <segments of each class> WHERE where}, branches UNION ALL. */
  static String segments(String columns, String where) {
    return union(StoreTables.SEGMENTS_STANDARD, StoreTables.SEGMENTS_EXTENDED, columns, where);
  }

  /** {@code SELECT columns FROM <summaries of each class> WHERE where}, branches UNION ALL. */
  static String summaries(String columns, String where) {
    return union(StoreTables.SUMMARIES_STANDARD, StoreTables.SUMMARIES_EXTENDED, columns, where);
  }

  private static String union(
      StoreTable standard, StoreTable extended, String columns, String where) {
    return branch(standard, columns, where) + " UNION ALL " + branch(extended, columns, where);
  }

  private static String branch(StoreTable table, String columns, String where) {
    return "SELECT " + columns + " FROM " + table.name() + " WHERE " + where;
  }
}
