package dev.cairn.operator.webhook;

import static dev.cairn.operator.model.Fixtures.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.model.Fixtures;
import dev.cairn.operator.reconciler.TracingClusterReconcilerIT;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook endpoint with AdmissionReview requests, as the API server sends them. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TracingClusterReconcilerIT.LoadCrd.class)
class PodMutationResourceIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @Inject KubernetesClient client;

  String shop;
  String plain;

  @BeforeEach
  void namespacesAndCluster() {
    shop = "shop-" + RUN;
    plain = "plain-" + RUN;
    if (client.namespaces().withName(shop).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(shop)
                  .addToLabels("cairn.dev/inject-agent", "true")
                  .endMetadata()
                  .build())
          .create();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(plain).endMetadata().build())
          .create();
      String home = "tracing-" + RUN;
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(home).endMetadata().build())
          .create();
      // Its Kafka is a closed local port: the reconciler's topic calls fail fast, nothing leaves.
      TracingCluster cluster =
          with(
              with(Fixtures.twoRegions(), "spec.kafka.bootstrapServers", "127.0.0.1:1"),
              "spec.regions.1.kafkaBootstrapServers",
              null);
      cluster.getMetadata().setNamespace(home);
      cluster.getMetadata().setUid(null);
      client.resources(TracingCluster.class).inNamespace(home).resource(cluster).create();
    }
  }

  @Test
  void aPodInALabelledNamespaceIsAllowedWithThePatch() throws Exception {
    String uid = UUID.randomUUID().toString();
    JsonNode pod = AgentInjectorTest.pod("", "");

    JsonNode answer = post(review(uid, shop, pod));

    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode response = answer.path("response");
    assertThat(response.path("uid").asText()).isEqualTo(uid);
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    JsonNode injected = JsonPatch.apply(patch, pod);
    assertThat(injected.at("/metadata/annotations/cairn.dev~1agent-injected-by").asText())
        .isEqualTo("prod");
    assertThat(injected.toString())
        .contains(
            "\"name\":\"cairn-agent\"", "prod-eu-west-collector-headless." + "tracing-" + RUN);
    // The app's SDK sends traces only, to the agent that accepts nothing else.
    assertThat(
            AgentInjectorTest.env(
                JSON.treeToValue(injected, Pod.class).getSpec().getContainers().get(0)))
        .containsEntry("OTEL_METRICS_EXPORTER", "none")
        .containsEntry("OTEL_LOGS_EXPORTER", "none");
  }

  @Test
  void aPodNobodyOptedInIsAllowedUnchanged() throws Exception {
    JsonNode response = post(review("u-2", plain, AgentInjectorTest.pod("", ""))).path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.has("warnings")).isFalse();
  }

  @Test
  void aPodThatCannotBeReadIsStillAllowed() throws Exception {
    ObjectNode review = review("u-3", shop, JSON.createObjectNode().put("spec", "not a pod spec"));

    JsonNode response = post(review).path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asText()).startsWith("cairn: agent not injected");
  }

  static ObjectNode review(String uid, String namespace, JsonNode pod) {
    ObjectNode review =
        JSON.createObjectNode()
            .put("apiVersion", "admission.k8s.io/v1")
            .put("kind", "AdmissionReview");
    ObjectNode request =
        review
            .putObject("request")
            .put("uid", uid)
            .put("namespace", namespace)
            .put("operation", "CREATE");
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.set("object", pod);
    return review;
  }

  static JsonNode post(JsonNode review) throws Exception {
    String body =
        given()
            .contentType("application/json")
            .body(review.toString())
            .when()
            .post("/mutate/pods")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
  }
}
