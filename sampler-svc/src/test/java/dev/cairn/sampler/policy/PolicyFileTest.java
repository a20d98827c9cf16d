package dev.cairn.sampler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Attribute;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.FakeTicker;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.Traces;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The policy file in YAML and JSON, and the errors a broken one gets. */
class PolicyFileTest {

  private static final String YAML =
      """
      base-rate: 0.01
      policies:
        - type: error
        - type: latency
          name: slow
          threshold: 2s
          services: {checkout: 500ms}
          operations:
            - {service: payments, operation: POST /api/charge, threshold: 300ms}
        - type: attribute
          name: vip
          key: user.tier
          equals: [gold, platinum]
          retention: extended
        - type: debug
          attributes: [cairn.debug, baggage.cairn.debug]
        - type: probabilistic
          name: frontend-rate
          services: {frontend: 0.5}
        - type: rate-limit
          services: {batch: 5}
      """;

  private final FakeTicker ticker = new FakeTicker();

  private PolicyChain parse(String name, String content) {
    return PolicyFile.parse(name, content.getBytes(StandardCharsets.UTF_8), 1.0, ticker);
  }

  @Test
  void aYamlFileGivesItsPoliciesInOrderAndItsBaseRate() {
    PolicyChain chain = parse("policies.yaml", YAML);

    assertThat(chain.size()).isEqualTo(6);
    assertThat(chain.baseRate()).isEqualTo(0.01);
    TraceId id = SpanFixtures.randomTraceId();
    assertThat(chain.decide(Traces.assembled(id, SpanFixtures.threeServiceTrace(id, 0))).reason())
        .isEqualTo("error");
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
                        id, Traces.withAttribute(id, Attribute.of("baggage.cairn.debug", "true"))))
                .reason())
        .isEqualTo("debug");
    // the normal trace starts at frontend: its rate, consistently
    SamplingDecision rated = chain.decide(Traces.assembled(id, Traces.normal(id, 20)));
    assertThat(rated.reason()).isEqualTo("frontend-rate");
    assertThat(rated.keep()).isEqualTo(ConsistentSampler.withProbability(0.5).keeps(id, ""));
  }

  @Test
  void theSameInJsonAndWithTheDefaultBaseRate() {
    PolicyChain chain =
        parse(
            "policies.json",
            """
            {"policies": [
              {"type": "attribute", "key": "http.status", "min": 500, "max": 599},
              {"type": "attribute", "name": "canary", "key": "canary", "bool": true},
              {"type": "attribute", "name": "eu", "key": "region", "regex": "eu-.*"}
            ]}
            """);

    assertThat(chain.size()).isEqualTo(3);
    assertThat(chain.baseRate()).isEqualTo(1.0);
    TraceId id = SpanFixtures.randomTraceId();
    assertThat(
            chain.decide(
                Traces.assembled(id, Traces.withAttribute(id, Attribute.of("http.status", 502)))))
        .isEqualTo(SamplingDecision.keep("attribute", RetentionClass.STANDARD));
    assertThat(
            chain
                .decide(
                    Traces.assembled(
                        id, Traces.withAttribute(id, Attribute.of("region", "eu-west"))))
                .reason())
        .isEqualTo("eu");
  }

  @Test
  void anEmptyListLeavesEverythingToTheBaseRate() {
    PolicyChain chain = parse("p.yml", "base-rate: 0\npolicies: []\n");

    TraceId id = SpanFixtures.randomTraceId();
    assertThat(chain.decide(Traces.assembled(id, SpanFixtures.threeServiceTrace(id, 0))))
        .isEqualTo(SamplingDecision.drop("base_rate"));
  }

  @Test
  void mistakesAreRefusedWithWhereAndWhy() {
    assertThatThrownBy(() -> parse("p.yaml", "policies:\n  - type: eror\n"))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageContaining("p.yaml.policies[0].type")
        .hasMessageContaining("one of error, latency");
    assertThatThrownBy(() -> parse("p.yaml", "policies:\n  - {type: latency, threshold: 2}\n"))
        .hasMessageContaining("policies[0].threshold")
        .hasMessageContaining("duration with a unit");
    assertThatThrownBy(() -> parse("p.yaml", "policies:\n  - {type: error, treshold: 2s}\n"))
        .hasMessageContaining("unknown field 'treshold'");
    assertThatThrownBy(() -> parse("p.yaml", "base-rate: 1.5\npolicies: []\n"))
        .hasMessageContaining("base-rate")
        .hasMessageContaining("rate in [0, 1]");
    assertThatThrownBy(() -> parse("p.yaml", "policies:\n  - type: error\n  - type: error\n"))
        .hasMessageContaining("unique name");
    assertThatThrownBy(
            () -> parse("p.yaml", "policies:\n  - {type: attribute, key: k, regex: '('}\n"))
        .hasMessageContaining("regular expression");
    assertThatThrownBy(
            () ->
                parse(
                    "p.yaml", "policies:\n  - {type: attribute, key: k, equals: a, bool: true}\n"))
        .hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> parse("p.yaml", "policies:\n  - {type: latency}\n"))
        .hasMessageContaining("a threshold, services or operations");
    assertThatThrownBy(
            () -> parse("p.yaml", "policies:\n  - {type: rate-limit, services: {a: 0}}\n"))
        .hasMessageContaining("positive number");
    assertThatThrownBy(() -> parse("p.json", "{\"policies\": [}"))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("p.yaml", "- just a list\n")).hasMessageContaining("'policies'");
    assertThatThrownBy(() -> parse("p.yaml", "base-rate: 0.5\n"))
        .hasMessageContaining("missing 'policies'");
  }
}
