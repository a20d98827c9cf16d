package dev.cairn.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** storage-svc's meters, exported on /q/metrics as {@code cairn_storage_*}. */
@ApplicationScoped
public class StorageMetrics {

  private final MeterRegistry registry;
  private final Counter spansWritten;
  private final Counter batchesWritten;
  private final Counter batchesFailed;
  private final DistributionSummary batchSize;
  private final Timer batchLatency;
  private final Counter loopRestarts;
  private final AtomicLong consumerLag = new AtomicLong();

  public StorageMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.spansWritten =
        Counter.builder("cairn.storage.spans.written")
            .description("Spans durably written (replays included)")
            .register(registry);
    this.batchesWritten =
        Counter.builder("cairn.storage.batches")
            .tag("outcome", "written")
            .description("Batches by outcome")
            .register(registry);
    this.batchesFailed =
        Counter.builder("cairn.storage.batches").tag("outcome", "retried").register(registry);
    this.batchSize =
        DistributionSummary.builder("cairn.storage.batch.size")
            .baseUnit("spans")
            .description("Spans per written batch")
            .register(registry);
    this.batchLatency =
        Timer.builder("cairn.storage.batch.latency")
            .description("Time to write one batch, until the database committed")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.loopRestarts =
        Counter.builder("cairn.storage.loop.restarts")
            .description("Restarts of the consumer loop after a failure")
            .register(registry);
    registry.gauge("cairn.storage.consumer.lag", consumerLag);
  }

  /** The consumer loop failed and is started again. */
  public void loopRestarted() {
    loopRestarts.increment();
  }

  public void batchWritten(int spans, Duration took) {
    spansWritten.increment(spans);
    batchesWritten.increment();
    batchSize.record(spans);
    batchLatency.record(took);
  }

  public void batchFailed() {
    batchesFailed.increment();
  }

  /**
   * A record was published to the dead-letter topic (and acknowledged) instead of being stored:
   * {@code cairn_storage_records_dead_lettered_total{reason}}.
   */
  public void deadLettered(SpanRecordDecoder.Rejection reason) {
    Counter.builder("cairn.storage.records.dead.lettered")
        .tag("reason", reason.label())
        .description("Records moved to the dead-letter topic, by reason")
        .register(registry)
        .increment();
  }

  /**
   * Records of the metrics topic by outcome, {@code cairn_storage_metrics_records_total{outcome}}:
   * {@code applied} (added now), {@code replayed} (added before: nothing added again), and among
   * them {@code malformed} (as read, not decodable) and {@code refused} (by the database), which
   * are added as empty so that their offsets move on.
   */
  public void metricsRecords(String outcome, int count) {
    if (count > 0) {
      Counter.builder("cairn.storage.metrics.records")
          .tag("outcome", outcome)
          .description("Records of the metrics topic, by outcome")
          .register(registry)
          .increment(count);
    }
  }

  /**
   * Spans of decoded records not stored, {@code cairn_storage_spans_refused_total{reason}}: {@code
   * expired}, older than their retention class keeps (a late span whose chunk retention dropped).
   */
  public void spansRefused(String reason, int spans) {
    if (spans > 0) {
      Counter.builder("cairn.storage.spans.refused")
          .tag("reason", reason)
          .description("Spans not stored, by reason")
          .register(registry)
          .increment(spans);
    }
  }

  /**
   * A maintenance job's run on this replica, {@code cairn_storage_maintenance_runs_total{job,
   * outcome}}: {@code ran}, {@code locked_elsewhere} (another replica runs it), {@code
   * ran_recently} (another replica ran it this period), {@code failed}.
   */
  public void maintenanceRun(String job, String outcome) {
    Counter.builder("cairn.storage.maintenance.runs")
        .tag("job", job)
        .tag("outcome", outcome)
        .description("Maintenance job runs on this replica, by outcome")
        .register(registry)
        .increment();
  }

  /**
   * What a maintenance run did per table, {@code cairn_storage_maintenance_rows_total{job,table}}:
   * chunks dropped (retention), rows written (rollup).
   */
  public void maintenanceRows(String job, String table, int rows) {
    Counter.builder("cairn.storage.maintenance.rows")
        .tag("job", job)
        .tag("table", table)
        .description("Chunks dropped or rollup rows written, by job and table")
        .register(registry)
        .increment(rows);
  }

  /** Records behind the end of the assigned partitions, summed ({@code ConsumerLag}). */
  public void consumerLag(long records) {
    consumerLag.set(records);
  }
}
