package dev.cairn.storage;

import dev.cairn.storage.config.RetentionPolicies;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.storage.retention.RetentionWindow;
import dev.cairn.store.MetricsWriter;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.pg.PgMetricsWriter;
import dev.cairn.store.pg.PgSpanWriter;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Instant;

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
  BatchWriter batchWriter(SpanWriter writer, StorageConfig config) {
    if (!config.retention().enabled()) {
      return new BatchWriter(writer);
    }
    RetentionWindow window = new RetentionWindow(RetentionPolicies.from(config.retention()));
    return new BatchWriter(
        writer, (retention, start) -> window.admits(retention, start, Instant.now()));
  }

  @Produces
  @ApplicationScoped
  MetricsWriter metricsWriter(AgroalDataSource dataSource) {
    return new PgMetricsWriter(dataSource);
  }
}
