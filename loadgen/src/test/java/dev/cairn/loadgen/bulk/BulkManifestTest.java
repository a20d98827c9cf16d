package dev.cairn.loadgen.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.generate.Skew;
import dev.cairn.model.wire.RetentionClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkManifestTest {

  private static final BulkPlan PLAN = new BulkPlan(100, 1_000, 2_000, 100, 9);
  private static final BulkResult RESULT =
      new BulkResult(
          new BulkProgress(120, 4, 30, 2, 10, 10),
          List.of(
              sample(0, "a", "svc-001", "GET /a", "cust-0000001"),
              sample(2, "b", "svc-001", "GET /a", "cust-0004711"),
              sample(4, "c", "svc-009", "GET /z", "cust-0000002")));

  @Test
  void namesTheWindowAndCommonRareAbsentAndSelectiveValues() {
    Map<String, String> values = BulkManifest.values(PLAN, new Skew(1.1, 5000), RESULT);
    assertThat(values)
        .containsEntry("window_start_unix_nano", "1000")
        .containsEntry("window_end_unix_nano", "2000")
        .containsEntry("spans", "120")
        .containsEntry("customer_common", "cust-0000001")
        .containsEntry("customer_rare", "cust-0004711")
        .containsEntry("customer_absent", "cust-0005001")
        .containsEntry("selective_service", "svc-009")
        .containsEntry("selective_operation", "GET /z");
  }

  @Test
  void writesOneLinePerSampleIdFirst(@TempDir Path dir) throws IOException {
    BulkManifest.write(dir, PLAN, new Skew(1.1, 5000), RESULT);
    List<String> lines = Files.readAllLines(dir.resolve(BulkManifest.TRACES_FILE));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("# trace_id");
    assertThat(lines.get(2)).startsWith("b".repeat(32) + "\t2\t");
    assertThat(Files.readAllLines(dir.resolve(BulkManifest.VALUES_FILE)))
        .contains("customer_rare\tcust-0004711");
  }

  private static SampleTrace sample(
      int slice, String id, String service, String operation, String customer) {
    return new SampleTrace(
        slice,
        id.repeat(32),
        1_000 + slice,
        1_010 + slice,
        12,
        service,
        operation,
        false,
        RetentionClass.STANDARD,
        customer);
  }
}
