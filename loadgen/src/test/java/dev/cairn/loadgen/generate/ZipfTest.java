package dev.cairn.loadgen.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfTest {

  @Test
  void probabilitiesFollowThePowerLawAndSumToOne() {
    Zipf zipf = new Zipf(1000, 1.1);
    double sum = 0;
    for (int k = 1; k <= 1000; k++) {
      sum += zipf.probability(k);
    }
    assertThat(sum).isCloseTo(1.0, offset(1e-9));
    assertThat(zipf.probability(1) / zipf.probability(10))
        .isCloseTo(Math.pow(10, 1.1), offset(1e-6));
    assertThat(zipf.probability(0)).isZero();
    assertThat(zipf.probability(1001)).isZero();
  }

  @Test
  void samplesMatchTheProbabilities() {
    Zipf zipf = new Zipf(100_000, 1.1);
    SplittableRandom random = new SplittableRandom(1);
    int n = 200_000;
    int[] counts = new int[100_001];
    for (int i = 0; i < n; i++) {
      int rank = zipf.sample(random);
      assertThat(rank).isBetween(1, 100_000);
      counts[rank]++;
    }
    assertThat(counts[1] / (double) n).isCloseTo(zipf.probability(1), offset(0.005));
    assertThat(counts[2] / (double) n).isCloseTo(zipf.probability(2), offset(0.005));
    int top10 = 0;
    for (int k = 1; k <= 10; k++) {
      top10 += counts[k];
    }
    assertThat(top10 / (double) n).as("the 10 commonest of 100,000 values").isGreaterThan(0.3);
    int seenOnce = 0;
    int seen = 0;
    for (int k = 1; k <= 100_000; k++) {
      seen += counts[k] > 0 ? 1 : 0;
      seenOnce += counts[k] == 1 ? 1 : 0;
    }
    assertThat(seenOnce / (double) seen).as("a long tail of values seen once").isGreaterThan(0.3);
  }

  @Test
  void exponentZeroIsUniform() {
    Zipf zipf = new Zipf(4, 0);
    assertThat(zipf.probability(1)).isCloseTo(0.25, offset(1e-12));
    assertThat(zipf.probability(4)).isCloseTo(0.25, offset(1e-12));
  }

  @Test
  void refusesAnEmptyRange() {
    assertThatThrownBy(() -> new Zipf(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Zipf(3, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
