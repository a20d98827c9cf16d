package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreStatusTest {

  @Test
  void notReadyUntilMigrated() {
    StoreStatus status = new StoreStatus();
    assertThat(status.isHealthy()).isFalse();
    assertThat(status.lastFailure()).isEqualTo("not migrated yet");

    status.migrationFailed("connection refused");
    assertThat(status.isHealthy()).isFalse();
    assertThat(status.lastFailure()).isEqualTo("connection refused");

    status.migrated();
    assertThat(status.isHealthy()).isTrue();
    assertThat(status.lastFailure()).isNull();
  }

  @Test
  void oneLanesSuccessDoesNotClearAnotherLanesFailure() {
    StoreStatus status = new StoreStatus();
    status.migrated();

    status.writeFailed(1, "SQLState 08006: connection lost");
    status.writeSucceeded(0);
    status.writeSucceeded(2);

    assertThat(status.isHealthy()).isFalse();
    assertThat(status.lastFailure()).isEqualTo("writer 1: SQLState 08006: connection lost");

    status.writeFailed(2, "dead-letter topic unavailable");
    status.writeSucceeded(1);
    assertThat(status.isHealthy()).as("lane 2 still fails").isFalse();
    assertThat(status.lastFailure()).startsWith("writer 2: ");

    status.writeSucceeded(2);
    assertThat(status.isHealthy()).isTrue();
    assertThat(status.lastFailure()).isNull();
  }
}
