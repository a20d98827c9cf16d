package dev.cairn.storage.config;

import dev.cairn.store.pg.SchemaMigrations;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * trace-store's migration settings, in the configured schema ({@code cairn.storage.db.schema}), on
 * the Flyway that {@code quarkus-flyway} builds for the default datasource: the one place they are
 * written stays {@link SchemaMigrations}. The consumer runs the migrations itself, before it first
 * polls ({@code quarkus.flyway.migrate-at-start} stays off).
 */
@Singleton
public class StoreMigrationSettings implements FlywayConfigurationCustomizer {
  private final StorageConfig config;

  StoreMigrationSettings(StorageConfig config) {
    this.config = config;
  }

  @Override
  public void customize(FluentConfiguration configuration) {
    SchemaMigrations.settings(configuration, config.db().schema());
  }
}
