package dev.cairn.sampler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.FakeTicker;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The policy file the operator renders from a TracingCluster (operator's {@code
 * SamplerPolicyFileTest} keeps its rendering of every kind of policy in the golden file read here)
 * is one this sampler accepts, with the policies meaning what the CRD said.
 */
class OperatorRenderedPolicyFileTest {

  /** The operator module's golden file, from this module's directory (where tests run). */
  private static final Path GOLDEN =
      Path.of("..", "operator", "src", "test", "resources", "golden", "sampler-policies.json");

  @Test
  void theSamplerParsesWhatTheOperatorRendersAndDecidesAsTheSpecSaid() throws IOException {
    PolicyChain chain =
        PolicyFile.parse(
            "policies.json", // as the operator mounts it
            Files.readAllBytes(GOLDEN),
            0.25,
            new FakeTicker());

    assertThat(chain.size()).isEqualTo(12);
    assertThat(chain.baseRate()).as("from the sampler's properties").isEqualTo(0.25);
    TraceId id = SpanFixtures.randomTraceId();
    assertThat(chain.decide(Traces.assembled(id, SpanFixtures.threeServiceTrace(id, 0))))
        .isEqualTo(SamplingDecision.keep("errors", RetentionClass.EXTENDED));
    assertThat(chain.decide(Traces.assembled(id, Traces.normal(id, 2_500))).reason())
        .isEqualTo("slow");
    assertThat(
            chain.decide(
                Traces.assembled(id, Traces.withAttribute(id, Attribute.of("user.tier", "gold")))))
        .isEqualTo(SamplingDecision.keep("vip", RetentionClass.EXTENDED));
    assertThat(
            chain
                .decide(
                    Traces.assembled(
                        id, Traces.withAttribute(id, Attribute.of("http.route", "/admin/users"))))
                .reason())
        .isEqualTo("admin-routes");
    assertThat(
            chain
                .decide(
                    Traces.assembled(id, Traces.withAttribute(id, Attribute.of("cart.items", 42))))
                .reason())
        .isEqualTo("big-carts");
    assertThat(
            chain
                .decide(
                    Traces.assembled(
                        id, Traces.withAttribute(id, Attribute.of("cairn.debug", "true"))))
                .reason())
        .isEqualTo("debug");
    SamplingDecision rated = chain.decide(Traces.assembled(id, Traces.normal(id, 20)));
    assertThat(rated.reason()).as("the normal trace starts at frontend").isEqualTo("frontend-rate");
    assertThat(rated.keep()).isEqualTo(ConsistentSampler.withProbability(0.5).keeps(id, ""));
  }
}
