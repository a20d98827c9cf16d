package dev.cairn.sampler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.FakeTicker;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.Traces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each tail policy on assembled traces; the chain's first-match-wins order. */
class PoliciesTest {

  private final TraceId id = SpanFixtures.randomTraceId();
  private final AssembledTrace normal = Traces.assembled(id, Traces.normal(id, 20));

  @Test
  void errorsAreKeptWithExtendedRetention() {
    AssembledTrace failed = Traces.assembled(id, SpanFixtures.threeServiceTrace(id, Traces.START));

    assertThat(new ErrorPolicy("errors").evaluate(failed))
        .contains(SamplingDecision.keep("errors", RetentionClass.EXTENDED));
    assertThat(new ErrorPolicy("errors").evaluate(normal)).isEmpty();
  }

  @Test
  void slowTracesAreKeptByTheGlobalThresholdOrThatOfTheirServiceOrOperation() {
    AssembledTrace slow = Traces.assembled(id, Traces.normal(id, 2_000));
    Optional<SamplingDecision> keep =
        Optional.of(SamplingDecision.keep("slow", RetentionClass.EXTENDED));

    assertThat(new LatencyPolicy("slow", Duration.ofSeconds(1), Map.of(), Map.of()).evaluate(slow))
        .isEqualTo(keep);
    assertThat(
            new LatencyPolicy("slow", Duration.ofSeconds(1), Map.of(), Map.of()).evaluate(normal))
        .isEmpty();
    // the checkout child lasts 5 ms
    assertThat(
            new LatencyPolicy("slow", null, Map.of("checkout", Duration.ofMillis(4)), Map.of())
                .evaluate(normal))
        .isEqualTo(keep);
    assertThat(
            new LatencyPolicy("slow", null, Map.of("checkout", Duration.ofMillis(5)), Map.of())
                .evaluate(normal))
        .as("not above")
        .isEmpty();
    assertThat(
            new LatencyPolicy(
                    "slow",
                    null,
                    Map.of(),
                    Map.of(new OperationKey("checkout", "GET /items"), Duration.ofMillis(4)))
                .evaluate(normal))
        .isEqualTo(keep);
    assertThat(
            new LatencyPolicy(
                    "slow",
                    null,
                    Map.of(),
                    Map.of(new OperationKey("checkout", "GET /other"), Duration.ofMillis(4)))
                .evaluate(normal))
        .isEmpty();
  }

  @Test
  void attributesMatchAsStringsRegexesRangesAndBooleansOnSpansAndResources() {
    AssembledTrace gold =
        Traces.assembled(id, Traces.withAttribute(id, Attribute.of("user.tier", "gold")));
    AssembledTrace status =
        Traces.assembled(id, Traces.withAttribute(id, Attribute.of("http.status", 503)));
    AssembledTrace flagged =
        Traces.assembled(
            id,
            Traces.withAttribute(id, new Attribute("canary", new AttributeValue.BoolValue(true))));

    assertThat(
            policy("user.tier", new AttributeCondition.OneOf(Set.of("gold", "platinum")))
                .evaluate(gold))
        .contains(SamplingDecision.keep("attr", RetentionClass.STANDARD));
    assertThat(policy("user.tier", new AttributeCondition.OneOf(Set.of("silver"))).evaluate(gold))
        .isEmpty();
    assertThat(
            policy("user.tier", new AttributeCondition.Regex(Pattern.compile("g.l.")))
                .evaluate(gold))
        .isPresent();
    assertThat(
            policy("user.tier", new AttributeCondition.Regex(Pattern.compile("g"))).evaluate(gold))
        .as("the whole value must match")
        .isEmpty();
    assertThat(policy("http.status", new AttributeCondition.Range(500, 599)).evaluate(status))
        .isPresent();
    assertThat(policy("http.status", new AttributeCondition.Range(400, 499)).evaluate(status))
        .isEmpty();
    assertThat(policy("http.status", new AttributeCondition.OneOf(Set.of("503"))).evaluate(status))
        .as("an int is not a string")
        .isEmpty();
    assertThat(policy("canary", new AttributeCondition.Bool(true)).evaluate(flagged)).isPresent();
    assertThat(policy("canary", new AttributeCondition.Bool(false)).evaluate(flagged)).isEmpty();
    // resource attributes count too
    assertThat(
            policy("service.name", new AttributeCondition.OneOf(Set.of("checkout")))
                .evaluate(normal))
        .isPresent();
  }

  private static AttributePolicy policy(String key, AttributeCondition condition) {
    return new AttributePolicy("attr", key, condition, RetentionClass.STANDARD);
  }

  @Test
  void theDebugFlagKeepsATraceAsBooleanOrString() {
    DebugPolicy debug = new DebugPolicy("debug", Set.of("cairn.debug", "baggage.cairn.debug"));
    AssembledTrace asBool =
        Traces.assembled(
            id,
            Traces.withAttribute(
                id, new Attribute("cairn.debug", new AttributeValue.BoolValue(true))));
    AssembledTrace fromBaggage =
        Traces.assembled(id, Traces.withAttribute(id, Attribute.of("baggage.cairn.debug", "true")));
    AssembledTrace off =
        Traces.assembled(id, Traces.withAttribute(id, Attribute.of("cairn.debug", "false")));

    assertThat(debug.evaluate(asBool))
        .contains(SamplingDecision.keep("debug", RetentionClass.EXTENDED));
    assertThat(debug.evaluate(fromBaggage)).isPresent();
    assertThat(debug.evaluate(off)).isEmpty();
    assertThat(debug.evaluate(normal)).isEmpty();
  }

  @Test
  void serviceAndOperationRatesAreConsistentAndApplyToTheTracesTheirRootStarts() {
    RatePolicy rates =
        new RatePolicy(
            "rates",
            Map.of("frontend", 0.25),
            Map.of(new OperationKey("frontend", "GET /health"), 0.0));
    ConsistentSampler quarter = ConsistentSampler.withProbability(0.25);
    int kept = 0;
    for (int i = 0; i < 2_000; i++) {
      TraceId trace = SpanFixtures.randomTraceId();
      SamplingDecision decision =
          rates.evaluate(Traces.assembled(trace, Traces.normal(trace, 20))).orElseThrow();
      assertThat(decision.keep()).isEqualTo(quarter.keeps(trace, ""));
      assertThat(decision.reason()).isEqualTo("rates");
      if (decision.keep()) {
        kept++;
        assertThat(decision.probability()).isEqualTo(0.25);
      }
    }
    assertThat(kept).isBetween(400, 600);
    assertThat(new RatePolicy("rates", Map.of("checkout", 0.5), Map.of()).evaluate(normal))
        .as("checkout does not start this trace")
        .isEmpty();
  }

  @Test
  void aRateLimitKeepsUpToItsBudgetPerSecondThenDrops() {
    FakeTicker ticker = new FakeTicker();
    RateLimitPolicy limit = new RateLimitPolicy("limit", Map.of("frontend", 2.0), ticker);

    assertThat(limit.evaluate(normal))
        .contains(SamplingDecision.keep("limit", RetentionClass.STANDARD));
    assertThat(limit.evaluate(normal)).map(SamplingDecision::keep).contains(true);
    assertThat(limit.evaluate(normal)).contains(SamplingDecision.drop("limit"));
    ticker.advance(Duration.ofMillis(500));
    assertThat(limit.evaluate(normal)).map(SamplingDecision::keep).contains(true);
    assertThat(limit.evaluate(normal)).map(SamplingDecision::keep).contains(false);
    assertThat(new RateLimitPolicy("limit", Map.of("other", 2.0), ticker).evaluate(normal))
        .isEmpty();
  }

  @Test
  void theFirstMatchingPolicyDecidesAndTheBaseRateTakesTheRest() {
    PolicyChain chain =
        new PolicyChain(
            List.of(
                new ErrorPolicy("error"),
                new LatencyPolicy("latency", Duration.ofSeconds(1), Map.of(), Map.of())),
            new BaseRatePolicy(0.0));
    TraceId slowAndFailed = SpanFixtures.randomTraceId();

    assertThat(
            chain
                .decide(
                    Traces.assembled(
                        slowAndFailed, SpanFixtures.threeServiceTrace(slowAndFailed, 0)))
                .reason())
        .isEqualTo("error");
    assertThat(chain.decide(Traces.assembled(id, Traces.normal(id, 2_000))).reason())
        .isEqualTo("latency");
    assertThat(chain.decide(normal)).isEqualTo(SamplingDecision.drop("base_rate"));
  }

  @Test
  void theBaseRateWritesTheThresholdOnlyBelowOne() {
    AssembledTrace any = normal;
    SamplingDecision all = new PolicyChain(List.of(), new BaseRatePolicy(1.0)).decide(any);

    assertThat(all.keep()).isTrue();
    assertThat(all.rewritesTraceState()).isFalse();
    ConsistentSampler half = ConsistentSampler.withProbability(0.5);
    for (int i = 0; i < 200; i++) {
      TraceId trace = SpanFixtures.randomTraceId();
      SamplingDecision decision =
          new PolicyChain(List.of(), new BaseRatePolicy(0.5))
              .decide(Traces.assembled(trace, Traces.normal(trace, 20)));
      assertThat(decision.keep()).isEqualTo(half.keeps(trace, ""));
      assertThat(decision.rewritesTraceState()).isEqualTo(decision.keep());
    }
  }
}
