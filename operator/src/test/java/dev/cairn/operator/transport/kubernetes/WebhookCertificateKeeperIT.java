package dev.cairn.operator.transport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.reconciler.TracingClusterReconcilerIT;
import dev.cairn.operator.webhook.certificate.CertificateBundle;
import dev.cairn.operator.webhook.certificate.Pem;
import dev.cairn.operator.webhook.certificate.RenewalPolicy;
import dev.cairn.operator.webhook.certificate.ServiceIdentity;
import dev.cairn.operator.webhook.certificate.WebhookCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keeper against the fabric8 mock API server (CRUD mode) with the webhook configuration of
 * {@code k8s/base/webhook.yaml}: each test has a namespace and a configuration of its own.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TracingClusterReconcilerIT.LoadCrd.class)
class WebhookCertificateKeeperIT {
  static final String SECRET = "cairn-operator-webhook-tls";
  static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
  static final RenewalPolicy POLICY = new RenewalPolicy(Duration.ofDays(365), Duration.ofDays(30));

  @Inject KubernetesClient client;

  String namespace;
  String configuration;

  @BeforeEach
  void ownNames() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    namespace = "keeper-" + run;
    configuration = "injector-" + run;
    try (InputStream manifest = new FileInputStream("../k8s/base/webhook.yaml")) {
      MutatingWebhookConfiguration webhook =
          client.admissionRegistration().v1().mutatingWebhookConfigurations().load(manifest).item();
      webhook.getMetadata().setName(configuration);
      client.resource(webhook).create();
    }
  }

  @Test
  void withoutASecretItIssuesOneAndPatchesEveryEntry() {
    Optional<CertificateBundle> served = keeper(true).reconcile(NOW);

    Secret secret = secret();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
    assertThat(served).contains(bundleOf(secret));
    assertThat(webhooks())
        .hasSize(2)
        .allSatisfy(
            w ->
                assertThat(w.getClientConfig().getCaBundle())
                    .isEqualTo(secret.getData().get("ca.crt")));
  }

  @Test
  void aValidSecretIsLeftAsItIs() {
    keeper(true).reconcile(NOW);
    Secret before = secret();

    Optional<CertificateBundle> served = keeper(true).reconcile(NOW.plus(Duration.ofDays(100)));

    Secret after = secret();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(before.getData());
    assertThat(served).contains(bundleOf(before));
  }

  @Test
  void anExpiringSecretIsRenewedAndItsCaPatchedIn() throws Exception {
    keeper(true).reconcile(NOW);
    Secret before = secret();
    Instant later = NOW.plus(Duration.ofDays(340));

    keeper(true).reconcile(later);

    Secret after = secret();
    assertThat(after.getData().get("tls.crt")).isNotEqualTo(before.getData().get("tls.crt"));
    assertThat(Pem.certificates(bundleOf(after).tlsCrt()).get(0).getNotAfter().toInstant())
        .isEqualTo(later.plus(Duration.ofDays(365)));
    // The new CA first, then the one of the certificate being replaced.
    assertThat(Pem.certificates(bundleOf(after).caCrt())).hasSize(2);
    assertThat(webhooks())
        .allSatisfy(
            w ->
                assertThat(w.getClientConfig().getCaBundle())
                    .isEqualTo(after.getData().get("ca.crt")));
  }

  @Test
  void aForeignSecretIsReplaced() {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(namespace)
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of("tls.crt", "bm90IGEgY2VydA==", "tls.key", "%%% not base64"))
                .build())
        .create();

    Optional<CertificateBundle> served = keeper(true).reconcile(NOW);

    assertThat(secret().getType()).isEqualTo("kubernetes.io/tls");
    assertThat(served).contains(bundleOf(secret()));
  }

  @Test
  void withCertManagersAnnotationNothingIsWritten() {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configuration)
        .edit(
            c -> {
              if (c.getMetadata().getAnnotations() == null) {
                c.getMetadata().setAnnotations(new java.util.HashMap<>());
              }
              c.getMetadata()
                  .getAnnotations()
                  .put(
                      WebhookCertificateKeeper.INJECT_CA_FROM,
                      "cairn-system/cairn-operator-webhook");
              return c;
            });
    String before = webhookResourceVersion();

    Optional<CertificateBundle> served = keeper(true).reconcile(NOW);

    assertThat(served).isEmpty();
    assertThat(secret()).isNull();
    assertThat(webhookResourceVersion()).isEqualTo(before);
    assertThat(webhooks()).allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isNull());
  }

  @Test
  void withCertManagerItServesItsSecretAndWritesNothing() {
    CertificateBundle certManagers = certificates().issue(Optional.empty(), NOW);
    assertThat(keeper(false).reconcile(NOW)).isEmpty();
    client.resource(secretOf(certManagers)).create();
    String before = secret().getMetadata().getResourceVersion();

    Optional<CertificateBundle> served = keeper(false).reconcile(NOW.plus(Duration.ofDays(364)));

    assertThat(served).contains(certManagers);
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(webhooks()).allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isNull());
  }

  private WebhookCertificateKeeper keeper(boolean issues) {
    return new WebhookCertificateKeeper(
        client, namespace, SECRET, configuration, certificates(), issues);
  }

  private WebhookCertificates certificates() {
    return new WebhookCertificates(new ServiceIdentity("cairn-operator", namespace), POLICY);
  }

  private Secret secret() {
    return client.secrets().inNamespace(namespace).withName(SECRET).get();
  }

  private Secret secretOf(CertificateBundle bundle) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(namespace)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(
            Map.of(
                "ca.crt", encode(bundle.caCrt()),
                "tls.crt", encode(bundle.tlsCrt()),
                "tls.key", encode(bundle.tlsKey())))
        .build();
  }

  private java.util.List<MutatingWebhook> webhooks() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configuration)
        .get()
        .getWebhooks();
  }

  private String webhookResourceVersion() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configuration)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private static CertificateBundle bundleOf(Secret secret) {
    return new CertificateBundle(
        decode(secret.getData().get("ca.crt")),
        decode(secret.getData().get("tls.crt")),
        decode(secret.getData().get("tls.key")));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
