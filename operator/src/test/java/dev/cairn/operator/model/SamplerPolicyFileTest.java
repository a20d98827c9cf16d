package dev.cairn.operator.model;

import static dev.cairn.operator.model.Fixtures.twoRegions;
import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.api.AttributeMatchSpec;
import dev.cairn.operator.api.RetentionTier;
import dev.cairn.operator.api.TailPolicySpec;
import dev.cairn.operator.api.TailPolicyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator renders the sampler's policy file format. The rendering of {@link #EVERY_KIND} is
 * checked in as {@link #GOLDEN}, which sampler-svc's {@code OperatorRenderedPolicyFileTest} parses
 * with the sampler's own parser: a change on either side that the other does not follow fails one
 * of the two tests. After an intended change of the rendering, rewrite the file with {@code
 * -Dcairn.golden.update=true} and run both.
 */
class SamplerPolicyFileTest {

  /** Shared with sampler-svc's test, which reads it from this path. */
  static final Path GOLDEN = Path.of("src/test/resources/golden/sampler-policies.json");

  /** One policy of every type and scope the CRD can say. */
  static final List<TailPolicySpec> EVERY_KIND =
      List.of(
          policy("errors", TailPolicyType.ERROR, null, null, RetentionTier.EXTENDED),
          latency("slow", null, null, 2000),
          latency("checkout-slow", "checkout", null, 500),
          latency("charge-slow", "payments", "POST /api/charge", 300),
          attribute("vip", new AttributeMatchSpec("user.tier", "gold", null, null, null, null)),
          attribute(
              "admin-routes",
              new AttributeMatchSpec("http.route", null, "/admin/.*", null, null, null)),
          attribute(
              "big-carts", new AttributeMatchSpec("cart.items", null, null, 10.0, 100.0, null)),
          attribute("canary", new AttributeMatchSpec("canary", null, null, null, null, true)),
          policy("debug", TailPolicyType.DEBUG, null, null, null),
          new TailPolicySpec(
              "frontend-rate",
              TailPolicyType.PROBABILISTIC,
              "frontend",
              null,
              null,
              0.5,
              null,
              null,
              null),
          new TailPolicySpec(
              "login-rate",
              TailPolicyType.PROBABILISTIC,
              "frontend",
              "GET /login",
              null,
              0.1,
              null,
              null,
              RetentionTier.STANDARD),
          new TailPolicySpec(
              "batch-limit",
              TailPolicyType.RATE_LIMIT,
              "batch",
              null,
              null,
              null,
              5.0,
              null,
              null));

  @Test
  void everyKindOfPolicyRendersAsTheCheckedInSamplerPolicyFile() throws IOException {
    String rendered = SamplerPolicyFile.render(EVERY_KIND);
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.writeString(GOLDEN, rendered, StandardCharsets.UTF_8);
    }
    assertThat(rendered).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void theGoldenPoliciesAreASpecTheOperatorApplies() {
    assertThat(SpecProblems.of(with(twoRegions(), "spec.sampling.policies", EVERY_KIND))).isEmpty();
  }

  @Test
  void whatThePolicyFileCannotSayIsASpecProblem() {
    List<TailPolicySpec> unsayable =
        List.of(
            policy("scoped-errors", TailPolicyType.ERROR, "checkout", null, null),
            latency("orphan-operation", null, "GET /", 100),
            new TailPolicySpec(
                "everyone", TailPolicyType.PROBABILISTIC, null, null, null, 0.5, null, null, null),
            new TailPolicySpec(
                "per-op-limit",
                TailPolicyType.RATE_LIMIT,
                "batch",
                "run",
                null,
                null,
                5.0,
                null,
                null),
            policy("short-errors", TailPolicyType.ERROR, null, null, RetentionTier.STANDARD));

    assertThat(SpecProblems.of(with(twoRegions(), "spec.sampling.policies", unsayable)))
        .containsExactly(
            "spec.sampling.policies[0] (error) takes no service or operation",
            "spec.sampling.policies[1].operation needs the service it belongs to",
            "spec.sampling.policies[2] (probabilistic) needs a service (the base rate covers the"
                + " rest)",
            "spec.sampling.policies[3] (rateLimit) limits a whole service: no operation",
            "spec.sampling.policies[4].retention: a error policy keeps with extended retention");
  }

  @Test
  void theSamplerConfigMapCarriesTheRenderedFile() {
    var cluster = with(twoRegions(), "spec.sampling.policies", EVERY_KIND);
    var state = ClusterModel.desired(cluster);
    assertThat(state.configMaps())
        .filteredOn(c -> c.getMetadata().getName().equals("prod-eu-west-sampler-config"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getData().get(ComponentConfig.POLICIES))
                    .isEqualTo(SamplerPolicyFile.render(EVERY_KIND)));
  }

  private static TailPolicySpec policy(
      String name, TailPolicyType type, String service, String operation, RetentionTier tier) {
    return new TailPolicySpec(name, type, service, operation, null, null, null, null, tier);
  }

  private static TailPolicySpec latency(
      String name, String service, String operation, long thresholdMs) {
    return new TailPolicySpec(
        name, TailPolicyType.LATENCY, service, operation, thresholdMs, null, null, null, null);
  }

  private static TailPolicySpec attribute(String name, AttributeMatchSpec match) {
    return new TailPolicySpec(
        name,
        TailPolicyType.ATTRIBUTE,
        null,
        null,
        null,
        null,
        null,
        match,
        RetentionTier.EXTENDED);
  }
}
