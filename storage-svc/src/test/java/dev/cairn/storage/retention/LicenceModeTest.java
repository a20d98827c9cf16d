package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LicenceModeTest {

  @Test
  void theTimescaleLicenceUsesThePoliciesAnythingElseRunsTheJobs() {
    assertThat(LicenceMode.fromSetting("timescale")).isEqualTo(LicenceMode.COMMUNITY);
    assertThat(LicenceMode.fromSetting(" Timescale ")).isEqualTo(LicenceMode.COMMUNITY);
    assertThat(LicenceMode.fromSetting("apache")).isEqualTo(LicenceMode.APACHE);
    assertThat(LicenceMode.fromSetting(null)).isEqualTo(LicenceMode.APACHE);
    assertThat(LicenceMode.fromSetting("something-new")).isEqualTo(LicenceMode.APACHE);
  }
}
