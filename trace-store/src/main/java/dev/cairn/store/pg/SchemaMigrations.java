package dev.cairn.store.pg;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Applies trace-store's Flyway migrations ({@code classpath:db/migration}). storage-svc runs it at
 * startup; tests run the same migrations, optionally into a schema of their own.
 */
public final class SchemaMigrations {

  /**
   * Where the migrations are; also {@code quarkus.flyway.locations} (its default) in storage-svc.
   */
  public static final String LOCATION = "classpath:db/migration";

  /** Schema the services use. */
  public static final String DEFAULT_SCHEMA = "public";

  private SchemaMigrations() {}

  /** Migrates the {@value #DEFAULT_SCHEMA} schema. */
  public static int apply(DataSource dataSource) {
    return apply(dataSource, DEFAULT_SCHEMA);
  }

  /**
   * Migrates {@code schema}, creating it when absent. Connections that use the store must then have
   * it on their search path (pgjdbc {@code currentSchema}, Vert.x {@code search_path} property).
   *
   * @return the number of migrations applied now
   */
  public static int apply(DataSource dataSource, String schema) {
    return configure(schema).dataSource(dataSource).load().migrate().migrationsExecuted;
  }

  /** Same as {@link #apply(DataSource, String)} with a JDBC URL and credentials. */
  public static int apply(String jdbcUrl, String user, String password, String schema) {
    return configure(schema)
        .dataSource(jdbcUrl, user, password)
        .load()
        .migrate()
        .migrationsExecuted;
  }

  private static FluentConfiguration configure(String schema) {
    return settings(Flyway.configure(SchemaMigrations.class.getClassLoader()), schema);
  }

  /**
   * The store's migration settings on a configuration made elsewhere: storage-svc applies them to
   * the one {@code quarkus-flyway} builds, whose migrations were found at build time (a native
   * image cannot scan the classpath for them).
   */
  public static FluentConfiguration settings(FluentConfiguration configuration, String schema) {
    return configuration
        .locations(LOCATION)
        .schemas(schema)
        .createSchemas(true)
        .table("cairn_schema_history");
  }
}
