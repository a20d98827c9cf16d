package dev.cairn.store.pg;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A freshly migrated schema of its own in the test database ({@code CAIRN_DB_*} environment,
 * defaults of scripts/infra.sh), with a JDBC data source and a reactive pool bound to it.
 */
public final class TestDatabase implements AutoCloseable {

  private final String schema;
  private final PGSimpleDataSource dataSource;
  private final Vertx vertx;
  private final Pool pool;

  private TestDatabase(String schema) {
    this.schema = schema;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {host()});
    dataSource.setPortNumbers(new int[] {port()});
    dataSource.setDatabaseName(database());
    dataSource.setUser(env("CAIRN_DB_USER", "cairn"));
    dataSource.setPassword(env("CAIRN_DB_PASSWORD", "cairn"));
    dataSource.setCurrentSchema(schema);
    this.vertx = Vertx.vertx();
    this.pool = newPool(Map.of());
  }

  /**
   * Another pool on this schema whose connections start with {@code settings} (run-time parameters
   * such as {@code statement_timeout}); the caller closes it.
   */
  public Pool newPool(Map<String, String> settings) {
    Map<String, String> properties = new HashMap<>(settings);
    properties.put("search_path", schema);
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(host())
            .setPort(port())
            .setDatabase(database())
            .setUser(env("CAIRN_DB_USER", "cairn"))
            .setPassword(env("CAIRN_DB_PASSWORD", "cairn"))
            .setProperties(properties);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  /** Migrates a new schema {@code cairn_it_<random>}. */
  public static TestDatabase createSchema() {
    TestDatabase db = new TestDatabase("cairn_it_" + UUID.randomUUID().toString().replace("-", ""));
    SchemaMigrations.apply(db.dataSource, db.schema);
    return db;
  }

  /** A new schema migrated up to {@code version} only, as a store before an upgrade. */
  public static TestDatabase createSchemaAt(String version) {
    TestDatabase db = new TestDatabase("cairn_it_" + UUID.randomUUID().toString().replace("-", ""));
    SchemaMigrations.settings(Flyway.configure(SchemaMigrations.class.getClassLoader()), db.schema)
        .dataSource(db.dataSource)
        .target(version)
        .load()
        .migrate();
    return db;
  }

  /** Applies the migrations this schema lacks, as an upgrade does. */
  public void migrate() {
    SchemaMigrations.apply(dataSource, schema);
  }

  public static String host() {
    return env("CAIRN_DB_HOST", "127.0.0.1");
  }

  public static int port() {
    return Integer.parseInt(env("CAIRN_DB_PORT", "5433"));
  }

  public static String database() {
    return "cairn_test";
  }

  public String schema() {
    return schema;
  }

  public PGSimpleDataSource dataSource() {
    return dataSource;
  }

  public Pool pool() {
    return pool;
  }

  /** The first column of the first row {@code sql} returns, as text. */
  public String scalar(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() {
    pool.closeAndAwait();
    vertx.closeAndAwait();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
