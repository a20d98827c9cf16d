package dev.cairn.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the consumer loop and the writer lanes last learnt of the database: readiness is down until
 * the migrations ran and while ANY lane fails to write its batch. Each lane's state is its own, so
 * one lane's success never clears another lane's failure.
 */
@ApplicationScoped
public class StoreStatus {

  private volatile String migrationFailure = "not migrated yet";

  /** Lane index to the reason its current batch fails; absent while the lane writes fine. */
  private final Map<Integer, String> failingLanes = new ConcurrentSkipListMap<>();

  public void migrated() {
    migrationFailure = null;
  }

  public boolean isMigrated() {
    return migrationFailure == null;
  }

  public void migrationFailed(String reason) {
    migrationFailure = reason;
  }

  /** The lane wrote its batch: clears this lane's failure only. */
  public void writeSucceeded(int lane) {
    failingLanes.remove(lane);
  }

  public void writeFailed(int lane, String reason) {
    failingLanes.put(lane, String.valueOf(reason));
  }

  public boolean isHealthy() {
    return migrationFailure == null && failingLanes.isEmpty();
  }

  /** Why not healthy (the migration, else the lowest failing lane's reason); null when healthy. */
  public String lastFailure() {
    String migration = migrationFailure;
    if (migration != null) {
      return migration;
    }
    for (Map.Entry<Integer, String> failing : failingLanes.entrySet()) {
      return "writer " + failing.getKey() + ": " + failing.getValue();
    }
    return null;
  }
}
