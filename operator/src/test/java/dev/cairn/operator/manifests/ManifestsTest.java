package dev.cairn.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.model.ClusterModel;
import dev.cairn.operator.model.DesiredState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code kubectl apply -k k8s/} would send, rendered by {@code kubectl kustomize} (no cluster
 * needed) and checked object by object: every field is one its kind has, the pieces refer to each
 * other correctly, RBAC grants what the reconciler uses and no more, and the example resource is
 * valid by the CRD's schema and by the operator.
 */
class ManifestsTest {
  static final Path K8S = Path.of("../k8s");
  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();
  static final KubernetesSerialization KUBE = new KubernetesSerialization();

  static List<HasMetadata> objects;
  static Schema tracingClusterSchema;

  @BeforeAll
  static void render() throws Exception {
    Process kubectl =
        new ProcessBuilder("kubectl", "kustomize", K8S.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize ends").isTrue();
    assertThat(kubectl.exitValue()).as("kubectl kustomize k8s: %s", out).isZero();

    objects = new ArrayList<>();
    for (JsonNode doc :
        YAML.readValues(new YAMLFactory().createParser(out), JsonNode.class).readAll()) {
      objects.add(KUBE.unmarshal(JSON.writeValueAsString(doc), HasMetadata.class));
    }
    JsonNode crd =
        YAML.readTree(Files.readString(K8S.resolve("base/crd/tracingclusters.cairn.dev-v1.yml")));
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    tracingClusterSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
  }

  @Test
  void theBaseInstallsTheOperatorAndNothingElse() {
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Namespace/cairn-system",
            "CustomResourceDefinition/tracingclusters.cairn.dev",
            "ServiceAccount/cairn-operator",
            "ClusterRole/cairn-operator",
            "ClusterRoleBinding/cairn-operator",
            "Role/cairn-operator-webhook-certificate",
            "RoleBinding/cairn-operator-webhook-certificate",
            "Deployment/cairn-operator",
            "Service/cairn-operator",
            "MutatingWebhookConfiguration/cairn-agent-injector");
    assertThat(objects)
        .filteredOn(o -> o instanceof Namespaced)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("cairn-system"));
  }

  @Test
  void everyFieldIsOneItsKindHas() {
    for (HasMetadata object : objects) {
      List<String> unknown = new ArrayList<>();
      unknownFields(object, object.getKind(), unknown, new IdentityHashMap<>());
      assertThat(unknown).as("fields %s does not have", object.getKind()).isEmpty();
    }
  }

  @Test
  void thePiecesReferToEachOther() {
    Deployment operator = one(Deployment.class);
    ServiceAccount account = one(ServiceAccount.class);
    var service = one(io.fabric8.kubernetes.api.model.Service.class);
    MutatingWebhookConfiguration webhook = one(MutatingWebhookConfiguration.class);
    ClusterRoleBinding binding = one(ClusterRoleBinding.class);

    assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(one(ClusterRole.class).getMetadata().getName());
    assertThat(service.getSpec().getSelector())
        .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
    assertThat(webhook.getWebhooks())
        .hasSize(2)
        .allSatisfy(
            w -> {
              var ref = w.getClientConfig().getService();
              assertThat(ref.getName()).isEqualTo(service.getMetadata().getName());
              assertThat(ref.getNamespace()).isEqualTo(service.getMetadata().getNamespace());
              assertThat(service.getSpec().getPorts())
                  .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(ref.getPort()));
              // A webhook that is down never blocks a pod; misses are reported, not silent.
              assertThat(w.getFailurePolicy()).isEqualTo("Ignore");
              assertThat(w.getSideEffects()).isEqualTo("None");
            });
    assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("cairn/operator:0.1.0");
  }

  @Test
  void rbacGrantsWhatTheReconcilerManagesAndNoMore() {
    List<PolicyRule> rules = one(ClusterRole.class).getRules();
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(r.getVerbs()).doesNotContain("*");
              assertThat(r.getResources()).doesNotContain("*", "secrets", "pods/exec");
              assertThat(r.getApiGroups()).doesNotContain("*");
            });
    DesiredState desired = ClusterModel.desired(example());
    List<HasMetadata> managed =
        Stream.of(
                desired.configMaps(),
                desired.deployments(),
                desired.services(),
                desired.autoscalers(),
                desired.disruptionBudgets())
            .flatMap(Collection::stream)
            .map(HasMetadata.class::cast)
            .toList();
    for (HasMetadata object : managed) {
      String group = HasMetadata.getGroup(object.getClass());
      String plural = HasMetadata.getPlural(object.getClass());
      assertThat(rules)
          .as("a rule for %s.%s", plural, group)
          .anySatisfy(
              r -> {
                assertThat(r.getApiGroups()).contains(group);
                assertThat(r.getResources()).contains(plural);
                assertThat(r.getVerbs())
                    .contains("get", "list", "watch", "create", "update", "patch", "delete");
              });
    }
    assertThat(rules)
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("tracingclusters/status");
              assertThat(r.getVerbs()).contains("patch");
            });
    // The webhook's CA bundle: its one configuration, read and patched, never listed.
    assertThat(rules)
        .filteredOn(r -> r.getResources().contains("mutatingwebhookconfigurations"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResourceNames())
                  .containsExactly(one(MutatingWebhookConfiguration.class).getMetadata().getName())
                  .containsExactly(webhookDefault("configuration"));
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "patch");
            });
  }

  @Test
  void theWebhookCertificateRoleReachesItsOneSecretOnly() throws Exception {
    Role role = one(Role.class);
    RoleBinding binding = one(RoleBinding.class);
    ServiceAccount account = one(ServiceAccount.class);

    assertThat(role.getMetadata().getNamespace()).isEqualTo("cairn-system");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo("cairn-system");
            });
    assertThat(role.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("secrets");
              assertThat(r.getVerbs()).doesNotContain("list", "watch", "*", "patch");
              // create is the one verb Kubernetes cannot limit by name.
              if (!r.getVerbs().equals(List.of("create"))) {
                assertThat(r.getResourceNames()).containsExactly(webhookDefault("secret"));
              }
            });
    assertThat(role.getRules())
        .flatExtracting(PolicyRule::getVerbs)
        .containsExactlyInAnyOrder("get", "update", "delete", "create");
  }

  @Test
  void theBaseNeedsNoCertManager() {
    Deployment operator = one(Deployment.class);

    assertThat(one(MutatingWebhookConfiguration.class).getMetadata().getAnnotations())
        .doesNotContainKey("cert-manager.io/inject-ca-from");
    assertThat(operator.getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getSecret() != null);
    assertThat(objects).noneMatch(o -> o.getApiVersion().startsWith("cert-manager.io/"));
    assertThat(one(io.fabric8.kubernetes.api.model.Service.class).getMetadata().getName())
        .isEqualTo(webhookDefault("service"));
  }

  @Test
  void theExampleIsValidByTheCrdAndByTheOperator() throws IOException {
    JsonNode example = YAML.readTree(Files.readString(K8S.resolve("examples/two-regions.yaml")));

    assertThat(tracingClusterSchema.validate(example)).isEmpty();
    TracingCluster cluster = example();
    assertThat(cluster.getSpec().regions()).hasSize(2);
    assertThat(ClusterModel.desired(cluster).deployments()).hasSize(8);
  }

  /** The schema check itself can fail: each broken copy of the example is refused. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/spec/kafka/partitions | 0 | minimum",
        "/spec/images/pullPolicy | \"Sometimes\" | enum",
        "/spec/regions/0/name | \"EU_West\" | pattern",
        "/spec/sampling/baseRate | 1.5 | maximum",
        "/spec/timescaledb | {} | required",
        "/spec/regions | [] | minItems",
        "/spec/sampling/policies/0/type | \"always\" | enum",
      })
  void aBrokenExampleIsRefused(String pointer, String json, String keyword) throws IOException {
    JsonNode example = YAML.readTree(Files.readString(K8S.resolve("examples/two-regions.yaml")));
    String parent = pointer.substring(0, pointer.lastIndexOf('/'));
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    JsonNode container = example.at(parent);
    if (container.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) container)
          .set(Integer.parseInt(field), JSON.readTree(json));
    } else {
      ((ObjectNode) container).set(field, JSON.readTree(json));
    }

    List<Error> errors = tracingClusterSchema.validate(example);

    assertThat(errors).extracting(Error::getKeyword).contains(keyword);
  }

  @Test
  void theCertManagerOverlayWritesTheSecretTheOperatorReads() throws Exception {
    List<JsonNode> docs = kustomize(K8S.resolve("overlays/cert-manager"));
    JsonNode certificate = kind(docs, "Certificate");
    JsonNode webhook = kind(docs, "MutatingWebhookConfiguration");
    JsonNode role = kind(docs, "Role");
    JsonNode env = kind(docs, "Deployment").at("/spec/template/spec/containers/0/env");

    assertThat(docs).hasSize(objects.size() + 2);
    assertThat(certificate.at("/metadata/namespace").asText()).isEqualTo("cairn-system");
    assertThat(certificate.at("/spec/secretName").asText()).isEqualTo(webhookDefault("secret"));
    assertThat(certificate.at("/spec/dnsNames"))
        .extracting(JsonNode::asText)
        .contains(
            "cairn-operator.cairn-system.svc", "cairn-operator.cairn-system.svc.cluster.local");
    assertThat(webhook.at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText())
        .isEqualTo("cairn-system/" + certificate.at("/metadata/name").asText());
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.path("name").asText()).isEqualTo("CAIRN_OPERATOR_WEBHOOK_CERTIFICATE");
              assertThat(e.path("value").asText()).isEqualTo("cert-manager");
            });
    // With cert-manager writing the Secret, the operator may only read it.
    assertThat(role.at("/rules")).hasSize(1);
    assertThat(role.at("/rules/0/verbs")).extracting(JsonNode::asText).containsExactly("get");
    assertThat(role.at("/rules/0/resourceNames"))
        .extracting(JsonNode::asText)
        .containsExactly(webhookDefault("secret"));
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .collect(
            java.util.stream.Collectors.collectingAndThen(
                java.util.stream.Collectors.toList(),
                found -> {
                  assertThat(found).as("one %s", kind).hasSize(1);
                  return found.get(0);
                }));
  }

  /**
   * The operator's default for {@code cairn.operator.webhook.<name>}, which k8s/ must agree with.
   */
  private static String webhookDefault(String name) {
    try {
      return OperatorConfig.Webhook.class
          .getMethod(name)
          .getAnnotation(io.smallrye.config.WithDefault.class)
          .value();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code kubectl kustomize dir}, as the documents it prints. */
  static List<JsonNode> kustomize(Path dir) throws Exception {
    Process kubectl =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize ends").isTrue();
    assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", dir, out).isZero();
    return YAML.readValues(new YAMLFactory().createParser(out), JsonNode.class).readAll();
  }

  private static TracingCluster example() {
    try {
      return KUBE.unmarshal(
          Files.readString(K8S.resolve("examples/two-regions.yaml")), TracingCluster.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T extends HasMetadata> T one(Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as("one %s", kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  /**
   * fabric8's model types keep fields they do not know in {@code additionalProperties}: anything
   * there is a field the kind does not have (a typo, or a wrong level of indentation).
   */
  private static void unknownFields(
      Object value, String path, List<String> unknown, Map<Object, Object> seen) {
    if (value == null || seen.put(value, value) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!(value instanceof KubernetesResource)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      String name = getter.getName().substring(3);
      // (A CRD schema's additionalProperties is a schema keyword, not the map of unknown fields.)
      if (name.equals("AdditionalProperties") && child instanceof Map<?, ?> fields) {
        fields.keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        unknownFields(
            child,
            path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
            unknown,
            seen);
      }
    }
  }
}
