package dev.cairn.operator.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.operator.reconciler.TracingClusterReconcilerIT;
import dev.cairn.operator.webhook.certificate.CertificateBundle;
import dev.cairn.operator.webhook.certificate.Pem;
import dev.cairn.operator.webhook.certificate.RenewalPolicy;
import dev.cairn.operator.webhook.certificate.ServiceIdentity;
import dev.cairn.operator.webhook.certificate.WebhookCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The operator's HTTPS server serves the certificate of the Secret it issued at start-up (no
 * mounted file), and the renewed one after a later look renews it, without a restart.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TracingClusterReconcilerIT.LoadCrd.class)
class WebhookServingCertificateIT {
  static final String SECRET = "cairn-operator-webhook-tls";

  @Inject KubernetesClient client;
  @Inject WebhookServingCertificate serving;

  @TestHTTPResource(value = "/", tls = true)
  URL https;

  @Test
  void theServerServesTheSecretsCertificateAndTakesTheRenewedOne() throws Exception {
    Secret issued = secret();
    assertThat(issued).as("the Secret issued at start-up").isNotNull();
    assertThat(served(issued)).isEqualTo(leaf(issued));

    // A certificate with 25 days left, as if issued 340 days ago: the next look renews it.
    Instant now = Instant.now();
    CertificateBundle expiring =
        new WebhookCertificates(
                new ServiceIdentity("cairn-operator", client.getNamespace()),
                new RenewalPolicy(Duration.ofDays(365), Duration.ofDays(30)))
            .issue(Optional.empty(), now.minus(Duration.ofDays(340)));
    client
        .secrets()
        .inNamespace(client.getNamespace())
        .withName(SECRET)
        .edit(
            s -> {
              s.getData().put("ca.crt", encode(expiring.caCrt()));
              s.getData().put("tls.crt", encode(expiring.tlsCrt()));
              s.getData().put("tls.key", encode(expiring.tlsKey()));
              return s;
            });

    serving.look(now);

    Secret renewed = secret();
    assertThat(leaf(renewed)).isNotEqualTo(leaf(issued));
    assertThat(leaf(renewed).getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(300)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(served(renewed)).isEqualTo(leaf(renewed)));
  }

  private Secret secret() {
    return client.secrets().inNamespace(client.getNamespace()).withName(SECRET).get();
  }

  private static X509Certificate leaf(Secret secret) throws Exception {
    return Pem.certificates(decode(secret.getData().get("tls.crt"))).get(0);
  }

  /**
   * The certificate the server presents, to a client trusting only the Secret's CA bundle (as the
   * API server does with the webhook's caBundle); the handshake fails otherwise.
   */
  private X509Certificate served(Secret trusting) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    List<X509Certificate> cas = Pem.certificates(decode(trusting.getData().get("ca.crt")));
    for (int i = 0; i < cas.size(); i++) {
      trust.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustManagers.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(https.getHost(), https.getPort())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
