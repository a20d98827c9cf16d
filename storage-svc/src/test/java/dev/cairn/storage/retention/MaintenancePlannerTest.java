package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.store.StoreTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Both licence modes at the SQL-generation level. The Community statements are verified here only
 * as statements: this machine's TimescaleDB is the Apache-2 build, where they fail by design.
 */
class MaintenancePlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-02T15:17:00Z");
  private final MaintenancePlanner planner = new MaintenancePlanner(TestPolicies.defaults());

  @Test
  void apacheRetentionDropsEveryTableAtItsTiersCutoffAndMinutesOnlyWhenRolledUp() {
    Instant rolledUpTo = Instant.parse("2026-12-02T15:00:00Z");
    List<PlannedStatement> plan =
        planner.retention(LicenceMode.APACHE, NOW, Optional.of(rolledUpTo));

    assertThat(plan).allMatch(s -> s.sql().equals(MaintenancePlanner.DROP_CHUNKS));
    assertThat(plan)
        .extracting(PlannedStatement::table, s -> s.parameters().get(1))
        .containsExactly(
            tuple("trace_segments_standard", NOW.minus(Duration.ofDays(7))),
            tuple("trace_segments_extended", NOW.minus(Duration.ofDays(30))),
            tuple("trace_summaries_standard", NOW.minus(Duration.ofDays(7))),
            tuple("trace_summaries_extended", NOW.minus(Duration.ofDays(30))),
            tuple("spans_standard", NOW.minus(Duration.ofDays(7))),
            tuple("spans_extended", NOW.minus(Duration.ofDays(30))),
            tuple("span_metrics", NOW.minus(Duration.ofDays(90))),
            tuple("service_edges", NOW.minus(Duration.ofDays(90))),
            tuple("span_metrics_hourly", NOW.minus(Duration.ofDays(90))),
            tuple("service_edges_hourly", NOW.minus(Duration.ofDays(90))),
            // the catalogs outlive the longest span tier by a day
            tuple("operations", NOW.minus(Duration.ofDays(31))),
            tuple("search_term_days", NOW.minus(Duration.ofDays(31))),
            tuple("resources", NOW.minus(Duration.ofDays(31))));
    // the table is a bind parameter too, cast to regclass: no identifier in the SQL text
    assertThat(plan).allMatch(s -> s.parameters().get(0).equals(s.table()));
  }

  @Test
  void minuteAggregatesAreNeverDroppedPastTheRollupWatermark() {
    Instant stalled = NOW.minus(Duration.ofDays(100)); // the rollup has not run for 10 days
    List<PlannedStatement> plan = planner.retention(LicenceMode.APACHE, NOW, Optional.of(stalled));
    assertThat(plan)
        .filteredOn(s -> s.table().equals("span_metrics") || s.table().equals("service_edges"))
        .extracting(s -> s.parameters().get(1))
        .containsOnly(stalled);

    assertThat(planner.retention(LicenceMode.APACHE, NOW, Optional.empty()))
        .extracting(PlannedStatement::table)
        .doesNotContain("span_metrics", "service_edges")
        .contains("trace_segments_standard", "trace_summaries_standard", "span_metrics_hourly");
  }

  @Test
  void aChangedPeriodIsTheNextRunsCutoffWithoutAMigration() {
    MaintenancePlanner shorter =
        new MaintenancePlanner(
            TestPolicies.with(dev.cairn.store.RetentionTier.STANDARD, Duration.ofDays(3)));
    assertThat(shorter.retention(LicenceMode.APACHE, NOW, Optional.empty()).get(0).parameters())
        .containsExactly("trace_segments_standard", NOW.minus(Duration.ofDays(3)));
  }

  @Test
  void communityRetentionIsLeftToThePolicies() {
    assertThat(planner.retention(LicenceMode.COMMUNITY, NOW, Optional.of(NOW))).isEmpty();
  }

  @Test
  void apacheStartupOnlySetsChunkIntervals() {
    assertThat(planner.startup(LicenceMode.APACHE))
        .extracting(PlannedStatement::sql, PlannedStatement::parameters)
        .containsExactly(
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("trace_segments_standard", Duration.ofHours(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("trace_segments_extended", Duration.ofHours(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("trace_summaries_standard", Duration.ofDays(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("trace_summaries_extended", Duration.ofDays(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("spans_standard", Duration.ofHours(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("spans_extended", Duration.ofHours(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL, List.of("span_metrics", Duration.ofDays(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("service_edges", Duration.ofDays(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("span_metrics_hourly", Duration.ofDays(7))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("service_edges_hourly", Duration.ofDays(7))),
            tuple(MaintenancePlanner.SET_CHUNK_INTERVAL, List.of("operations", Duration.ofDays(1))),
            tuple(
                MaintenancePlanner.SET_CHUNK_INTERVAL,
                List.of("search_term_days", Duration.ofDays(1))),
            tuple(MaintenancePlanner.SET_CHUNK_INTERVAL, List.of("resources", Duration.ofDays(1))));
  }

  @Test
  void theCatalogsFollowTheLongerSpanTierWhicheverItIs() {
    MaintenancePlanner longStandard =
        new MaintenancePlanner(
            TestPolicies.with(dev.cairn.store.RetentionTier.STANDARD, Duration.ofDays(60)));
    assertThat(longStandard.retention(LicenceMode.APACHE, NOW, Optional.empty()))
        .filteredOn(
            s ->
                s.table().equals("operations")
                    || s.table().equals("search_term_days")
                    || s.table().equals("resources"))
        .extracting(s -> s.parameters().get(1))
        .containsExactly(
            NOW.minus(Duration.ofDays(61)),
            NOW.minus(Duration.ofDays(61)),
            NOW.minus(Duration.ofDays(61)));
  }

  @Test
  void communityStartupReplacesTheRetentionPolicyOfEveryTableAndCompressesSegments() {
    List<PlannedStatement> plan = planner.startup(LicenceMode.COMMUNITY);

    for (var table : StoreTables.ALL) {
      List<PlannedStatement> own =
          plan.stream()
              .filter(s -> s.table().equals(table.name()))
              .filter(s -> s.sql().contains("retention_policy"))
              .toList();
      // removed first, so that a changed period replaces the old policy
      assertThat(own)
          .extracting(PlannedStatement::sql)
          .containsExactly(
              MaintenancePlanner.REMOVE_RETENTION_POLICY, MaintenancePlanner.ADD_RETENTION_POLICY);
      assertThat(own.get(1).parameters())
          .containsExactly(table.name(), TestPolicies.defaults().period(table.tier()));
    }
    assertThat(plan)
        .filteredOn(s -> s.sql().equals(MaintenancePlanner.ADD_COMPRESSION_POLICY))
        .extracting(PlannedStatement::parameters)
        .containsExactly(
            List.of("trace_segments_standard", Duration.ofDays(1)),
            List.of("trace_segments_extended", Duration.ofDays(1)));
    assertThat(plan)
        .filteredOn(s -> s.sql().startsWith("ALTER TABLE"))
        .extracting(PlannedStatement::sql)
        .containsExactly(
            "ALTER TABLE trace_segments_standard SET (timescaledb.compress,"
                + " timescaledb.compress_orderby = 'start_time DESC')",
            "ALTER TABLE trace_segments_extended SET (timescaledb.compress,"
                + " timescaledb.compress_orderby = 'start_time DESC')");
  }

  @Test
  void rollupRecomputesTheWindowIntoBothHourlyTables() {
    RollupWindow window =
        new RollupWindow(
            Instant.parse("2026-12-02T12:00:00Z"), Instant.parse("2026-12-02T15:00:00Z"));
    assertThat(planner.rollup(window))
        .extracting(PlannedStatement::table, PlannedStatement::parameters)
        .containsExactly(
            tuple("span_metrics_hourly", List.of(window.from(), window.to())),
            tuple("service_edges_hourly", List.of(window.from(), window.to())));
    assertThat(planner.rollup(window))
        .allMatch(s -> s.sql().contains("ON CONFLICT") && s.sql().contains("= EXCLUDED.calls"));
  }
}
