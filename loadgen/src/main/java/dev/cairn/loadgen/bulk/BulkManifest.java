package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.Skew;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a benchmark needs to ask the loaded store real questions: {@code traces.tsv} (sampled traces
 * spread over the window, one per line, trace id first, so {@code cairn-loadgen query --ids} reads
 * it) and {@code values.tsv} ({@code name<TAB>value}: the window, a common, a rare and an absent
 * {@code app.customer_id}, a selective service and root operation). The same seed and window give
 * the same files.
 */
public final class BulkManifest {

  public static final String TRACES_FILE = "traces.tsv";
  public static final String VALUES_FILE = "values.tsv";

  private BulkManifest() {}

  public static void write(Path directory, BulkPlan plan, Skew skew, BulkResult result)
      throws IOException {
    Files.createDirectories(directory);
    List<String> lines = new ArrayList<>();
    lines.add(
        "# trace_id\tslice\tstart_unix_nano\tend_unix_nano\tspans\troot_service\troot_operation"
            + "\terror\tretention\tcustomer_id");
    for (SampleTrace t : result.samples()) {
      lines.add(
          String.join(
              "\t",
              t.traceId(),
              Integer.toString(t.slice()),
              Long.toString(t.startNanos()),
              Long.toString(t.endNanos()),
              Integer.toString(t.spans()),
              t.rootService(),
              t.rootOperation(),
              Boolean.toString(t.error()),
              t.retention().name().toLowerCase(java.util.Locale.ROOT),
              t.customerId() == null ? "" : t.customerId()));
    }
    Files.write(directory.resolve(TRACES_FILE), lines);
    List<String> values = new ArrayList<>();
    values(plan, skew, result).forEach((k, v) -> values.add(k + "\t" + v));
    Files.write(directory.resolve(VALUES_FILE), values);
  }

  /** The named values, in a fixed order. Pure. */
  static Map<String, String> values(BulkPlan plan, Skew skew, BulkResult result) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("seed", Long.toString(plan.seed()));
    values.put("window_start_unix_nano", Long.toString(plan.windowStartNanos()));
    values.put("window_end_unix_nano", Long.toString(plan.windowEndNanos()));
    values.put("spans", Long.toString(result.totals().spans()));
    values.put("traces", Long.toString(result.totals().traces()));
    values.put("customer_key", Skew.CUSTOMER_KEY);
    if (skew.customers() > 0) {
      values.put("customer_common", Skew.customerId(1));
      result.samples().stream()
          .filter(t -> t.customerId() != null)
          .max(Comparator.comparing(SampleTrace::customerId))
          .ifPresent(t -> values.put("customer_rare", t.customerId()));
      values.put("customer_absent", Skew.customerId(skew.customers() + 1));
    }
    rarestRoot(result.samples())
        .ifPresent(
            t -> {
              values.put("selective_service", t.rootService());
              values.put("selective_operation", t.rootOperation());
            });
    return values;
  }

  /** The sample whose root service and operation occur least often among the samples. */
  private static java.util.Optional<SampleTrace> rarestRoot(List<SampleTrace> samples) {
    Map<String, Integer> counts = new TreeMap<>();
    for (SampleTrace t : samples) {
      counts.merge(t.rootService() + " " + t.rootOperation(), 1, Integer::sum);
    }
    return samples.stream()
        .min(
            Comparator.comparingInt(
                    (SampleTrace t) -> counts.get(t.rootService() + " " + t.rootOperation()))
                .thenComparingInt(SampleTrace::slice));
  }
}
