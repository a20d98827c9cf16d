package dev.cairn.storage;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the consumer loop last learnt of the database: readiness is down until the migrations ran
 * and while batches fail to be written.
 */
@ApplicationScoped
public class StoreStatus {

  private volatile boolean migrated;
  private volatile String lastFailure = "not migrated yet";

  public void migrated() {
    migrated = true;
    lastFailure = null;
  }

  public void writeSucceeded() {
    lastFailure = null;
  }

  public void writeFailed(String reason) {
    lastFailure = reason;
  }

  public boolean isHealthy() {
    return migrated && lastFailure == null;
  }

  /** Null when healthy. */
  public String lastFailure() {
    return lastFailure;
  }
}
