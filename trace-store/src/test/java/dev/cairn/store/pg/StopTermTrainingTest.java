package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StopTermTrainingTest {

  private final AtomicLong clock = new AtomicLong();

  /**
   * {@code count} segments; term 1 in all, term 2 in every other, term 3 in one in five exactly.
   */
  private static List<int[]> segments(int count) {
    List<int[]> segments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Integer> terms = new ArrayList<>(List.of(1, 100 + i));
      if (i % 2 == 0) {
        terms.add(2);
      }
      if (i % 5 == 0) {
        terms.add(3);
      }
      segments.add(terms.stream().mapToInt(Integer::intValue).toArray());
    }
    return segments;
  }

  @Test
  void namesTheTermsInMoreThanAFifthOfTheSegmentsOnceEnoughWereCounted() {
    StopTermTraining training =
        new StopTermTraining(StopTermSettings.withoutReaders(20), clock::get);
    assertThat(training.offer(segments(10))).isEmpty();
    assertThat(training.offer(segments(10))).contains(StopTerms.of(1, 2));
    assertThat(training.segments()).isEqualTo(20);
    assertThat(training.offer(segments(20))).as("trained once").isEmpty();
  }

  @Test
  void countsForTheWholePeriodBeforeItTrains() {
    StopTermTraining training =
        new StopTermTraining(
            new StopTermSettings(10, Duration.ofMinutes(30), Duration.ZERO), clock::get);
    assertThat(training.offer(segments(50))).isEmpty();
    clock.addAndGet(Duration.ofMinutes(29).toNanos());
    assertThat(training.offer(segments(50))).isEmpty();
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(training.offer(segments(50))).contains(StopTerms.of(1, 2));
  }

  @Test
  void aStopListWithoutCommonTermsIsEmpty() {
    List<int[]> distinct = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      distinct.add(new int[] {i, 1000 + i});
    }
    StopTermTraining training =
        new StopTermTraining(StopTermSettings.withoutReaders(10), clock::get);
    assertThat(training.offer(distinct)).contains(StopTerms.NONE);
  }

  @Test
  void aLongStopListHoldsTheCommonestTerms() {
    int[] common = new int[StopTerms.MAX_TERMS];
    for (int i = 0; i < common.length; i++) {
      common[i] = -i;
    }
    List<int[]> segments = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      // in half the segments: common enough, but not among the commonest
      int[] terms = Arrays.copyOf(common, common.length + (i % 2) * 10);
      for (int k = common.length; k < terms.length; k++) {
        terms[k] = k;
      }
      segments.add(terms);
    }
    StopTermTraining training =
        new StopTermTraining(StopTermSettings.withoutReaders(10), clock::get);
    assertThat(training.offer(segments)).contains(StopTerms.of(common));
  }

  @Test
  void aTermFirstSeenPastTheBoundIsNotCounted() {
    int[] many = new int[StopTermTraining.MAX_DISTINCT];
    for (int i = 0; i < many.length; i++) {
      many[i] = i;
    }
    List<int[]> segments = new ArrayList<>(List.of(many));
    for (int i = 1; i < 10; i++) {
      segments.add(new int[] {0, -1});
    }
    StopTermTraining training =
        new StopTermTraining(StopTermSettings.withoutReaders(10), clock::get);
    assertThat(training.offer(segments)).contains(StopTerms.of(0));
  }

  @Test
  void aStopListLeavesItsTermsOutAndKeepsTheOrderOfTheRest() {
    StopTerms stop = StopTerms.of(7, 3, 7);
    assertThat(stop.size()).isEqualTo(2);
    assertThat(stop.without(new int[] {1, 3, 5, 7, 9})).containsExactly(1, 5, 9);
    int[] none = {1, 2};
    assertThat(stop.without(none)).isSameAs(none);
    assertThatThrownBy(() -> StopTerms.of(new int[StopTerms.MAX_TERMS + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
