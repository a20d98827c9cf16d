package dev.cairn.storage.retention;

import dev.cairn.store.StoreTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The warm tier's index rebuild under Apache-2: once a chunk of one table has turned warm ({@link
 * WarmWindow}), every index of the chunk is rebuilt once with {@code REINDEX INDEX CONCURRENTLY},
 * which blocks neither the chunk's writes nor its reads. Indexes that grew by inserts in random key
 * order leave their B-tree pages ~70 % full and the terms GIN's posting pages split; rebuilt, a
 * chunk takes ~5 % fewer bytes per span (docs/benchmarks.md, "Warm index rebuilds"). Oldest chunk
 * first, at most {@link #CHUNKS_PER_RUN} a run; the watermark is the end of the last chunk rebuilt,
 * so each chunk is rebuilt once and late spans that land in it afterwards are simply indexed as
 * they come.
 *
 * <p>Not {@link #transactional}: {@code REINDEX CONCURRENTLY} refuses a transaction block, so
 * {@link JobRunner} holds the job's session lock instead. A rebuild cut short (lock timeout, lost
 * connection) leaves the new index copies invalid, named {@code *_ccnew} or {@code *_ccold}; the
 * run that takes the chunk again drops them first, and the chunk's own indexes stay valid
 * throughout.
 */
public final class IndexRebuildJob implements MaintenanceJob {

  /** Bounds a run: a chunk of an hour at the seed's rate takes minutes of one core. */
  static final int CHUNKS_PER_RUN = 4;

  /**
   * The chunk's indexes, quoted: the valid ones to rebuild, and the invalid copies an interrupted
   * REINDEX CONCURRENTLY left (to drop). Not its TOAST table's index: dense already (the TOAST ids
   * only grow), and a leftover copy of it in {@code pg_toast} only a superuser could drop.
   */
  private static final String INDEXES =
      "SELECT format('%I.%I', n.nspname, c.relname), i.indisvalid FROM pg_index i"
          + " JOIN pg_class c ON c.oid = i.indexrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE i.indrelid = ?::regclass"
          + " AND (i.indisvalid OR c.relname ~ '_cc(new|old)[0-9]*$') ORDER BY c.relname";

  private final StoreTable table;
  private final RetentionPolicy policy;

  public IndexRebuildJob(StoreTable table, RetentionPolicy policy) {
    this.table = table;
    this.policy = policy;
  }

  @Override
  public String name() {
    return "index-rebuild-" + table.name();
  }

  @Override
  public boolean transactional() {
    return false;
  }

  @Override
  public Result run(Connection connection, Instant now, Optional<Instant> watermark)
      throws SQLException {
    Optional<WarmWindow> window =
        WarmWindow.of(now, policy.warmAfter(), policy.period(table.tier()), watermark);
    Optional<Instant> rebuiltUpTo = watermark;
    int rebuilt = 0;
    if (window.isPresent()) {
      for (WarmChunks.Chunk chunk :
          WarmChunks.of(connection, table.name(), window.get(), CHUNKS_PER_RUN)) {
        rebuild(connection, chunk.name());
        rebuilt++;
        rebuiltUpTo = Optional.of(chunk.to());
      }
    }
    return new Result(Map.of(table.name(), rebuilt), rebuiltUpTo);
  }

  /**
   * @param chunk quoted by the catalog's {@code format('%I.%I')}, as are its indexes: DDL takes no
   *     bind parameter, and the names are the database's own, never input
   */
  private static void rebuild(Connection connection, String chunk) throws SQLException {
    List<String> valid = new ArrayList<>();
    List<String> leftovers = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(INDEXES)) {
      statement.setString(1, chunk);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          (rows.getBoolean(2) ? valid : leftovers).add(rows.getString(1));
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (String index : leftovers) {
        statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
      }
      for (String index : valid) {
        statement.execute("REINDEX INDEX CONCURRENTLY " + index);
      }
    }
  }
}
