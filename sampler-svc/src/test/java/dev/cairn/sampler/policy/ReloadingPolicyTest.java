package dev.cairn.sampler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.FakeTicker;
import dev.cairn.sampler.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file read again when it changes; a broken one keeps the last good policies. */
class ReloadingPolicyTest {

  private static final Duration CHECK = Duration.ofSeconds(5);
  private static final PolicySettings SETTINGS =
      new PolicySettings(1.0, Optional.of(Duration.ofSeconds(5)), Set.of("cairn.debug"));

  @TempDir Path dir;

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> events = new ArrayList<>();
  private final ReloadingPolicy.Listener listener =
      new ReloadingPolicy.Listener() {
        @Override
        public void policyReloaded() {
          events.add("reloaded");
        }

        @Override
        public void policyReloadFailed(String reason) {
          events.add("failed:" + reason);
        }
      };

  private final TraceId id = SpanFixtures.randomTraceId();
  private final AssembledTrace normal = Traces.assembled(id, Traces.normal(id, 20));

  @Test
  void aChangedFileIsUsedAfterTheNextCheckAndABrokenOneKeepsTheLastGood() throws IOException {
    Path file = dir.resolve("policies.yaml");
    Files.writeString(file, "base-rate: 0\npolicies: []\n");
    ReloadingPolicy policy =
        new ReloadingPolicy(Optional.of(file), SETTINGS, ticker, CHECK, listener);
    assertThat(policy.decide(normal).keep()).isFalse();
    assertThat(events).containsExactly("reloaded");

    Files.writeString(file, "base-rate: 1\npolicies: []\n");
    policy.refresh();
    assertThat(policy.decide(normal).keep()).as("not checked before the interval").isFalse();
    ticker.advance(CHECK);
    policy.refresh();
    assertThat(policy.decide(normal).keep()).isTrue();

    Files.writeString(file, "base-rate: 0\npolicies: [{type: nonsense}]\n");
    ticker.advance(CHECK);
    policy.refresh();
    ticker.advance(CHECK);
    policy.refresh(); // the same broken content: counted once
    assertThat(policy.decide(normal).keep()).as("the last good policies").isTrue();

    Files.delete(file);
    ticker.advance(CHECK);
    policy.refresh();
    assertThat(policy.decide(normal).keep()).isTrue();

    Files.writeString(file, "base-rate: 0\npolicies: []\n");
    ticker.advance(CHECK);
    policy.refresh();
    assertThat(policy.decide(normal).keep()).isFalse();
    assertThat(events)
        .containsExactly("reloaded", "reloaded", "failed:invalid", "failed:unreadable", "reloaded");
  }

  @Test
  void aFileBrokenAtStartLeavesTheSettingsPolicies() throws IOException {
    Path file = dir.resolve("policies.json");
    Files.writeString(file, "{\"policies\": 3}");

    ReloadingPolicy policy =
        new ReloadingPolicy(Optional.of(file), SETTINGS, ticker, CHECK, listener);

    assertThat(events).containsExactly("failed:invalid");
    assertThat(policy.current().size()).as("error, latency, debug").isEqualTo(3);
    TraceId failed = SpanFixtures.randomTraceId();
    assertThat(
            policy
                .decide(Traces.assembled(failed, SpanFixtures.threeServiceTrace(failed, 0)))
                .reason())
        .isEqualTo("error");
    assertThat(policy.decide(Traces.assembled(id, Traces.normal(id, 6_000))).reason())
        .isEqualTo("latency");
    assertThat(policy.decide(normal).reason()).isEqualTo("base_rate");
  }

  @Test
  void withoutAFileTheSettingsDecideForGood() {
    ReloadingPolicy policy =
        new ReloadingPolicy(Optional.empty(), SETTINGS, ticker, CHECK, listener);
    ticker.advance(CHECK);
    policy.refresh();

    assertThat(policy.decide(normal).keep()).isTrue();
    assertThat(events).isEmpty();
  }
}
