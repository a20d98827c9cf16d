package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.SpanWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledJobsTest {

  private static final SpanWriter NO_WRITES =
      (retention, spans) -> {
        throw new AssertionError("no job writes while its list is made");
      };

  private final MaintenancePlanner planner = new MaintenancePlanner(TestPolicies.defaults());

  @Test
  void underApache2StorageSvcRetainsCompactsAndRebuildsEachClassAfterItsCompaction() {
    assertThat(names(LicenceMode.APACHE, true, true))
        .containsExactly(
            "rollup",
            "retention",
            "warm-compaction-standard",
            "warm-compaction-extended",
            "index-rebuild-trace_segments_standard",
            "index-rebuild-trace_summaries_standard",
            "index-rebuild-trace_segments_extended",
            "index-rebuild-trace_summaries_extended",
            "legacy-copy-standard",
            "legacy-copy-extended");
  }

  @Test
  void theWarmJobsRunOnlyWhenConfigured() {
    assertThat(names(LicenceMode.APACHE, false, false))
        .containsExactly("rollup", "retention", "legacy-copy-standard", "legacy-copy-extended");
    assertThat(names(LicenceMode.APACHE, false, true))
        .contains("index-rebuild-trace_segments_standard")
        .noneMatch(name -> name.startsWith("warm-compaction"));
  }

  @Test
  void underTheCommunityLicenceTimescaleDbRetainsAndCompresses() {
    assertThat(names(LicenceMode.COMMUNITY, true, true))
        .containsExactly("rollup", "legacy-copy-standard", "legacy-copy-extended");
  }

  private List<String> names(LicenceMode mode, boolean compaction, boolean rebuild) {
    return ScheduledJobs.of(mode, compaction, rebuild, planner, NO_WRITES).stream()
        .map(MaintenanceJob::name)
        .toList();
  }
}
