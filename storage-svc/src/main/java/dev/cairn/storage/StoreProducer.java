package dev.cairn.storage;

import dev.cairn.store.MetricsWriter;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.pg.PgMetricsWriter;
import dev.cairn.store.pg.PgSpanWriter;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The trace-store writers over the Agroal (JDBC) datasource {@code quarkus.datasource.*}. */
@ApplicationScoped
public class StoreProducer {

  @Produces
  @ApplicationScoped
  SpanWriter spanWriter(AgroalDataSource dataSource) {
    return new PgSpanWriter(dataSource);
  }

  @Produces
  @ApplicationScoped
  BatchWriter batchWriter(SpanWriter writer) {
    return new BatchWriter(writer);
  }

  @Produces
  @ApplicationScoped
  MetricsWriter metricsWriter(AgroalDataSource dataSource) {
    return new PgMetricsWriter(dataSource);
  }
}
