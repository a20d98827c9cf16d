package dev.cairn.loadgen.bulk;

import static dev.cairn.loadgen.bulk.BulkFixtures.END;
import static dev.cairn.loadgen.bulk.BulkFixtures.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BulkPlanTest {

  @Test
  void slicesTileTheWindowAndShareTheSpans() {
    BulkPlan plan = new BulkPlan(1_000_003, END - 7 * 24 * HOUR, END, 7 * HOUR, 1);
    assertThat(plan.slices()).isEqualTo(24);
    long spans = 0;
    for (int j = 0; j < plan.slices(); j++) {
      assertThat(plan.sliceEnd(j)).isGreaterThan(plan.sliceStart(j));
      if (j > 0) {
        assertThat(plan.sliceStart(j)).isEqualTo(plan.sliceEnd(j - 1));
      }
      spans += plan.spansOf(j);
    }
    assertThat(plan.sliceStart(0)).isEqualTo(END - 7 * 24 * HOUR);
    assertThat(plan.sliceEnd(plan.slices() - 1)).isEqualTo(END);
    assertThat(spans).isEqualTo(1_000_003);
  }

  @Test
  void aLastShortSliceEndsAtTheWindowEnd() {
    BulkPlan plan = new BulkPlan(100, END - 10 * HOUR, END, 3 * HOUR, 1);
    assertThat(plan.slices()).isEqualTo(4);
    assertThat(plan.sliceEnd(3) - plan.sliceStart(3)).isEqualTo(HOUR);
  }

  @Test
  void evenlyAimsAtAFewThousandSpansASliceOfAtLeastAMinute() {
    BulkPlan big = BulkFixtures.plan(50_000_000, 7 * 24, 1);
    assertThat(big.slices()).isEqualTo(10_080);
    assertThat(big.sliceNanos()).isEqualTo(60_000_000_000L);
    BulkPlan small = BulkFixtures.plan(2_000_000, 7 * 24, 1);
    assertThat(small.slices()).isEqualTo(1000);
    assertThat(small.spansOf(0)).isEqualTo(BulkPlan.SPANS_PER_SLICE);
    assertThat(BulkFixtures.plan(10, 1, 1).slices()).isEqualTo(1);
  }

  @Test
  void slicesHaveDistinctSeeds() {
    BulkPlan plan = BulkFixtures.plan(2_000_000, 24, 5);
    assertThat(plan.sliceSeed(0)).isNotEqualTo(plan.sliceSeed(1));
    assertThat(BulkFixtures.plan(2_000_000, 24, 6).sliceSeed(0)).isNotEqualTo(plan.sliceSeed(0));
  }

  @Test
  void refusesAnEmptyWindowOrPlan() {
    assertThatThrownBy(() -> new BulkPlan(0, 0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BulkPlan(1, 5, 5, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BulkPlan(1, 0, Long.MAX_VALUE, 1, 1))
        .hasMessageContaining("too many slices");
  }
}
