package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DoubleTextTest {

  @Test
  void isDoubleToStringForEveryKindOfValueAgainAndAgain() {
    double[] values = {
      0.0,
      -0.0,
      1.0,
      -1.5,
      0.1,
      1e-300,
      4.9e-324,
      Double.MAX_VALUE,
      Double.MIN_NORMAL,
      1e7,
      1e-3,
      123456789.125,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    for (int round = 0; round < 3; round++) {
      for (double value : values) {
        assertThat(DoubleText.of(value)).isEqualTo(Double.toString(value));
      }
    }
  }

  @Test
  void valuesThatShareASlotEachGetTheirOwnText() {
    SplittableRandom random = new SplittableRandom(7);
    double first = random.nextDouble();
    double second;
    do {
      second = random.nextDouble() * 1000;
    } while (DoubleText.slot(Double.doubleToRawLongBits(second))
        != DoubleText.slot(Double.doubleToRawLongBits(first)));
    for (int i = 0; i < 4; i++) {
      assertThat(DoubleText.of(first)).isEqualTo(Double.toString(first));
      assertThat(DoubleText.of(second)).isEqualTo(Double.toString(second));
    }
  }

  @Test
  void manyMoreValuesThanSlotsStayExact() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < DoubleText.SLOTS * 8; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      assertThat(DoubleText.of(value)).isEqualTo(Double.toString(value));
      double repeated = (i % 100) / 100.0;
      assertThat(DoubleText.of(repeated)).isEqualTo(Double.toString(repeated));
    }
  }
}
