package dev.cairn.sampler.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;

/** Default base rate 1: every trace is published, byte for byte. */
@QuarkusTest
class SamplerKeepAllIT extends AbstractSamplerIT {

  @Override
  void checkValue(byte[] sent, byte[] published) {
    assertThat(config.baseRate()).isEqualTo(1.0);
    assertThat(published).isEqualTo(sent);
  }
}
