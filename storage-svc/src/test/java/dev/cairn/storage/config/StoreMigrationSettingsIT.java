package dev.cairn.storage.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/**
 * The Flyway storage-svc migrates with is the one quarkus-flyway builds (its migrations listed at
 * build time, which is what a native image has), carrying trace-store's settings.
 */
@QuarkusTest
class StoreMigrationSettingsIT {
  @Inject Flyway flyway;
  @Inject StorageConfig config;

  @Test
  void theQuarkusFlywayCarriesTheStoresSettings() {
    assertThat(flyway.getConfiguration().getTable()).isEqualTo("cairn_schema_history");
    assertThat(flyway.getConfiguration().getSchemas()).containsExactly(config.db().schema());
    assertThat(flyway.getConfiguration().isCreateSchemas()).isTrue();
  }

  @Test
  void itFindsEveryMigrationTraceStoreShips() throws IOException {
    String[] shipped;
    try (Stream<Path> files =
        Files.list(Path.of("..", "trace-store", "src/main/resources/db/migration"))) {
      shipped = files.map(f -> f.getFileName().toString()).sorted().toArray(String[]::new);
    }
    assertThat(shipped).isNotEmpty();

    assertThat(
            Arrays.stream(flyway.info().all())
                // a schema Flyway created itself (not public) is listed as an entry of its own
                .filter(info -> info.getType() != CoreMigrationType.SCHEMA)
                .map(MigrationInfo::getScript)
                .map(script -> Path.of(script).getFileName().toString())
                .sorted()
                .toArray(String[]::new))
        .containsExactly(shipped);
  }
}
