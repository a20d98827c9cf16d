package dev.cairn.query.config;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Quarkus-managed reactive pool with PostgreSQL's {@code statement_timeout} set on every
 * connection at start-up (a startup-message parameter, so no extra round trip per query), from the
 * typed {@code cairn.query.statement-timeout}: every read the service makes is bounded by the
 * database itself, and a cancelled one fails fast with SQLState 57014 instead of hanging.
 */
@Singleton
public final class StatementTimeoutPoolCreator implements PgPoolCreator {

  private final QueryConfig config;

  @Inject
  StatementTimeoutPoolCreator(QueryConfig config) {
    this.config = config;
  }

  @Override
  public Pool create(Input input) {
    long millis = config.statementTimeout().toMillis();
    if (millis < 1) {
      // 0 would switch PostgreSQL's timeout off.
      throw new IllegalArgumentException(
          "cairn.query.statement-timeout must be at least 1ms, got " + config.statementTimeout());
    }
    List<SqlConnectOptions> servers = new ArrayList<>();
    for (PgConnectOptions options : input.pgConnectOptionsList()) {
      servers.add(options.addProperty("statement_timeout", Long.toString(millis)));
    }
    return PgBuilder.pool()
        .with(input.poolOptions())
        .connectingTo(servers)
        .using(input.vertx())
        .build();
  }
}
