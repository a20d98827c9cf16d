package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.cli.DurationConverter;
import dev.cairn.loadgen.cli.FleetOptions;
import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.Skew;
import dev.cairn.loadgen.generate.Topology;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.SchemaMigrations;
import dev.cairn.store.pg.StopTermSettings;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn-loadgen bulk}: fills a Cairn database with days of generated traces, written
 * directly through trace-store's {@link PgSpanWriter} (the writer storage-svc uses), for benchmarks
 * at volume. Into a store without stop terms it trains them on its first {@value
 * #STOP_TERM_SEGMENTS} segments and leaves them out at once, without the grace period that running
 * readers need ({@link StopTermSettings#withoutReaders}): search such a store once the load is
 * done.
 */
@Command(
    name = "bulk",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Writes --spans spans of realistic traces ending over the --window before --end straight into"
          + " the trace store (trace-store's PgSpanWriter, as storage-svc), with --writers parallel"
          + " writers in batches of --batch-size spans per retention class.",
      "Deterministic: the same --seed, --window and --end write the same traces (the same ids);"
          + " re-running a failed load writes what is missing (writes are idempotent).",
      "Progress on stderr; a summary and a `RESULT {json}` line on stdout; with --manifest, sample"
          + " trace ids and tag values for benchmarks."
    })
public final class BulkCommand implements Callable<Integer> {

  /** How the loader's connections show in pg_stat_activity (bench/bulk-load.sh finds them). */
  static final String APPLICATION_NAME = "cairn-loadgen-bulk";

  /** Segments the loader counts before it names the stop terms: as a writer's default. */
  static final int STOP_TERM_SEGMENTS = 10_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--jdbc-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5433/cairn_bench",
      description = "Database. Default: ${DEFAULT-VALUE}.")
  String jdbcUrl;

  @Option(
      names = "--user",
      defaultValue = "cairn",
      description = "Database user. Default: ${DEFAULT-VALUE}.")
  String user;

  @Option(
      names = "--schema",
      defaultValue = SchemaMigrations.DEFAULT_SCHEMA,
      description = "Schema of the store. Default: ${DEFAULT-VALUE}.")
  String schema;

  @Option(
      names = "--migrate",
      defaultValue = "true",
      negatable = true,
      description =
          "Apply trace-store's migrations first, as storage-svc does at start. Default: ${DEFAULT-VALUE}.")
  boolean migrate;

  @Option(
      names = "--spans",
      defaultValue = "2000000",
      description = "Spans to write (overshoot < one trace per slice). Default: ${DEFAULT-VALUE}.")
  long spans;

  @Option(
      names = "--window",
      defaultValue = "168h",
      converter = DurationConverter.class,
      description =
          "Time span the traces end in, before --end. Default: ${DEFAULT-VALUE} (7 days).")
  Duration window;

  @Option(
      names = "--end",
      paramLabel = "INSTANT",
      description = "End of the window (ISO-8601, e.g. 2026-12-02T18:00:00Z). Default: now.")
  Instant end;

  @Option(
      names = "--slice",
      converter = DurationConverter.class,
      description =
          "Unit of work: each slice of the window gets an even share of the spans, and stops at the"
              + " first trace that reaches it. Default: about 2,000 spans a slice, at least 1m.")
  Duration slice;

  @Option(
      names = "--writers",
      defaultValue = "2",
      description = "Parallel writers (threads, connections). Default: ${DEFAULT-VALUE}.")
  int writers;

  @Option(
      names = "--batch-size",
      defaultValue = "5000",
      description = "Most spans per write, as storage-svc's batches. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  /** A fleet the size of a production region's, not the load generator's small default. */
  @CommandLine.Mixin
  FleetOptions fleet = new FleetOptions(new GeneratorConfig(200, 6, 3, 4, 3, 60, 10, 0.02));

  @Option(
      names = "--skew",
      defaultValue = "1.1",
      description =
          "Zipf exponent of entry points, root operations and customers; 0 = uniform. Default: ${DEFAULT-VALUE}.")
  double skew;

  @Option(
      names = "--customers",
      defaultValue = "100000",
      description = "Distinct app.customer_id values. Default: ${DEFAULT-VALUE}.")
  int customers;

  @Option(
      names = "--slow-threshold",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description =
          "Traces longer than this (or with an error) go to the extended class. Default: ${DEFAULT-VALUE}.")
  Duration slowThreshold;

  @Option(names = "--seed", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--manifest",
      paramLabel = "DIR",
      description = "Write traces.tsv and values.tsv (sample ids, tag values) there.")
  Path manifest;

  @Option(
      names = "--samples",
      defaultValue = "500",
      description =
          "About how many traces, spread over the window, the manifest lists. Default: ${DEFAULT-VALUE}.")
  int samples;

  @Option(
      names = "--progress",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Time between progress lines on stderr; 0 = none. Default: ${DEFAULT-VALUE}.")
  Duration progress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GeneratorConfig config = fleet.config(spec);
    Instant windowEnd = end != null ? end : Instant.now();
    BulkPlan plan = plan(windowEnd);
    Skew skewing = new Skew(skew, customers);
    Topology topology = Topology.create(config, new SplittableRandom(seed));
    int sampleEvery = Math.max(1, plan.slices() / Math.max(1, samples));
    try (AgroalDataSource dataSource = dataSource()) {
      if (migrate) {
        int applied = SchemaMigrations.apply(dataSource, schema);
        err.printf("cairn-loadgen bulk: %d migration(s) applied to schema %s%n", applied, schema);
      }
      BulkLoader loader =
          new BulkLoader(
              plan,
              () -> new SliceTraces(plan, config, topology, skewing),
              new RetentionRule(slowThreshold.toNanos()),
              new PgSpanWriter(dataSource, StopTermSettings.withoutReaders(STOP_TERM_SEGMENTS)),
              writers,
              batchSize,
              sampleEvery);
      err.printf(
          "cairn-loadgen bulk: %,d spans over %s before %s (%d slices), %d services, %d writer(s),"
              + " batches of %d, seed %d%n",
          spans, window, windowEnd, plan.slices(), config.services(), writers, batchSize, seed);
      err.flush();
      long t0 = System.nanoTime();
      double cpu0 = processCpuSeconds();
      ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
      if (!progress.isZero()) {
        reporter.scheduleAtFixedRate(
            () -> {
              err.println(progressLine(loader.progress(), t0, cpu0));
              err.flush();
            },
            progress.toMillis(),
            progress.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      BulkResult result;
      try {
        result = loader.run();
      } finally {
        reporter.shutdownNow();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = processCpuSeconds() - cpu0;
      if (manifest != null) {
        BulkManifest.write(manifest, plan, skewing, result);
      }
      out.print(summary(result.totals(), seconds, cpu));
      out.println(resultLine(result.totals(), seconds, cpu));
      out.flush();
      return 0;
    }
  }

  private BulkPlan plan(Instant windowEnd) {
    require(writers >= 1, "--writers must be >= 1");
    require(batchSize >= 1, "--batch-size must be >= 1");
    require(samples >= 1, "--samples must be >= 1");
    require(!progress.isNegative(), "--progress must be >= 0");
    long endNanos = windowEnd.getEpochSecond() * 1_000_000_000L + windowEnd.getNano();
    try {
      new Skew(skew, customers);
      long startNanos = endNanos - window.toNanos();
      return slice == null
          ? BulkPlan.evenly(spans, startNanos, endNanos, seed)
          : new BulkPlan(spans, startNanos, endNanos, slice.toNanos(), seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private AgroalDataSource dataSource() throws java.sql.SQLException {
    String password = System.getenv().getOrDefault("CAIRN_DB_PASSWORD", "cairn");
    AgroalDataSourceConfigurationSupplier configuration =
        new AgroalDataSourceConfigurationSupplier()
            .connectionPoolConfiguration(
                pool ->
                    pool.maxSize(writers + 1)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .connectionFactoryConfiguration(
                            factory ->
                                factory
                                    .jdbcUrl(jdbcUrl)
                                    .jdbcProperty("currentSchema", schema)
                                    .jdbcProperty("ApplicationName", APPLICATION_NAME)
                                    .principal(new NamePrincipal(user))
                                    .credential(new SimplePassword(password))));
    return AgroalDataSource.from(configuration);
  }

  private static String progressLine(BulkProgress p, long t0, double cpu0) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    return String.format(
        Locale.ROOT,
        "[%6.0f s] %,d spans (%.0f/s), %,d traces, slices %d/%d, loader CPU %.0f %%",
        seconds,
        p.spans(),
        p.spans() / seconds,
        p.traces(),
        p.slicesDone(),
        p.slices(),
        100 * (processCpuSeconds() - cpu0) / seconds);
  }

  private static String summary(BulkProgress p, double seconds, double cpu) {
    return String.format(
        Locale.ROOT,
        "%n=== cairn-loadgen bulk: %,d spans, %,d traces in %.1f s ===%n"
            + "rate      %.0f spans/s, %d batches%n"
            + "extended  %,d spans (%.1f %%)%n"
            + "loader    %.1f CPU s (%.1f µs/span)%n",
        p.spans(),
        p.traces(),
        seconds,
        p.spans() / seconds,
        p.batches(),
        p.extendedSpans(),
        p.spans() == 0 ? 0 : 100.0 * p.extendedSpans() / p.spans(),
        cpu,
        p.spans() == 0 ? 0 : cpu * 1e6 / p.spans());
  }

  private static String resultLine(BulkProgress p, double seconds, double cpu) {
    return String.format(
        Locale.ROOT,
        "RESULT {\"spans\":%d,\"traces\":%d,\"extendedSpans\":%d,\"batches\":%d,\"seconds\":%.3f,"
            + "\"spansPerSecond\":%.1f,\"loaderCpuSeconds\":%.2f}",
        p.spans(),
        p.traces(),
        p.extendedSpans(),
        p.batches(),
        seconds,
        p.spans() / seconds,
        cpu);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private static double processCpuSeconds() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
            .getProcessCpuTime()
        / 1e9;
  }
}
