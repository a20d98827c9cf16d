package dev.cairn.query.config;

import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.store.TraceReader;
import dev.cairn.store.pg.PgTraceReader;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires query-svc's plain-Java parts from configuration and the Quarkus-managed pool. */
@Dependent
public final class QueryBeans {

  @Produces
  @Singleton
  SearchRequestParser searchRequestParser(QueryConfig config) {
    return new SearchRequestParser(
        Clock.systemUTC(), config.search().defaultLookback(), config.search().defaultLimit());
  }

  /** The reader over the reactive pool of {@code quarkus.datasource.reactive.*}. */
  @Produces
  @Singleton
  TraceReader traceReader(Pool pool) {
    return new PgTraceReader(pool);
  }
}
