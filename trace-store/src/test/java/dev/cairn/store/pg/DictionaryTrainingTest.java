package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DictionaryTrainingTest {

  private static List<byte[]> samples(int count) {
    return SegmentCodecTest.traces(count, 8).stream().map(SegmentCodec::raw).toList();
  }

  @Test
  void trainsOnceEnoughSampleBytesAreHeld() {
    List<byte[]> samples = samples(120);
    int bytes = samples.stream().mapToInt(s -> s.length).sum();
    DictionaryTraining training = new DictionaryTraining(bytes);
    assertThat(training.offer(samples.subList(0, 60))).isEmpty();
    Optional<SegmentDictionary> trained = training.offer(samples.subList(60, 120));
    assertThat(trained).isPresent();
    assertThat(trained.get().id()).isPositive();
  }

  @Test
  void waitsForEnoughSamplesEvenWhenTheBytesAreThere() {
    List<byte[]> samples = samples(DictionaryTraining.MIN_SAMPLES);
    // the bytes of 8 samples: enough bytes early, and far below the bound on what is held
    DictionaryTraining training =
        new DictionaryTraining(samples.subList(0, 8).stream().mapToInt(s -> s.length).sum());
    assertThat(training.offer(samples.subList(0, DictionaryTraining.MIN_SAMPLES - 1))).isEmpty();
    assertThat(training.offer(samples.subList(DictionaryTraining.MIN_SAMPLES - 1, samples.size())))
        .isPresent();
  }

  @Test
  void givesUpAfterFailedAttemptsAndThenHoldsNothing() {
    // samples zstd cannot train on: tiny and all alike
    List<byte[]> useless = Collections.nCopies(DictionaryTraining.MIN_SAMPLES, new byte[] {1});
    DictionaryTraining training = new DictionaryTraining(1);
    for (int i = 0; i < DictionaryTraining.MAX_ATTEMPTS; i++) {
      assertThat(training.offer(useless)).isEmpty();
    }
    assertThat(training.gaveUp()).isTrue();
    assertThat(training.offer(samples(DictionaryTraining.MIN_SAMPLES))).isEmpty();
  }
}
