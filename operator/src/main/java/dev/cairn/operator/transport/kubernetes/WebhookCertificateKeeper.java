package dev.cairn.operator.transport.kubernetes;

import static dev.cairn.operator.webhook.certificate.CertificateBundle.CA_CRT;
import static dev.cairn.operator.webhook.certificate.CertificateBundle.TLS_CRT;
import static dev.cairn.operator.webhook.certificate.CertificateBundle.TLS_KEY;

import dev.cairn.operator.webhook.certificate.CertificateBundle;
import dev.cairn.operator.webhook.certificate.InvalidCertificateException;
import dev.cairn.operator.webhook.certificate.Renewal;
import dev.cairn.operator.webhook.certificate.ServingCertificate;
import dev.cairn.operator.webhook.certificate.WebhookCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps the webhook's certificate in its Secret and its CA in the webhook configuration: one look
 * per {@link #reconcile} call. Issuing (the {@code operator} provider), it creates or replaces the
 * Secret when {@link WebhookCertificates#check} says so and patches the CA bundle into every entry
 * of the MutatingWebhookConfiguration. It never fights cert-manager: with cert-manager's {@value
 * #INJECT_CA_FROM} annotation on the configuration, or as the {@code cert-manager} provider, it
 * only reads the Secret.
 */
public final class WebhookCertificateKeeper {
  public static final String INJECT_CA_FROM = "cert-manager.io/inject-ca-from";
  static final String TLS_TYPE = "kubernetes.io/tls";

  private static final Logger LOG = Logger.getLogger(WebhookCertificateKeeper.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final String configurationName;
  private final WebhookCertificates certificates;
  private final boolean issues;
  private boolean toldCertManagerInjects;

  /**
   * @param issues whether this operator issues the certificate ({@code operator} provider) or only
   *     reads the one cert-manager writes
   */
  public WebhookCertificateKeeper(
      KubernetesClient client,
      String namespace,
      String secretName,
      String configurationName,
      WebhookCertificates certificates,
      boolean issues) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.configurationName = configurationName;
    this.certificates = certificates;
    this.issues = issues;
  }

  /**
   * Brings the Secret and the CA bundle up to date and returns the certificate the webhook is to
   * serve; empty when there is none usable yet (only when it does not issue). API errors are
   * thrown: the caller's next look tries again.
   */
  public Optional<CertificateBundle> reconcile(Instant now) {
    Secret secret = secret().get();
    if (!issues) {
      return usable(secret);
    }
    MutatingWebhookConfiguration configuration = configuration().get();
    if (configuration != null && annotated(configuration)) {
      if (!toldCertManagerInjects) {
        LOG.infof(
            "MutatingWebhookConfiguration %s has %s: cert-manager provides the webhook's"
                + " certificate; the operator leaves Secret %s/%s and the CA bundle alone and"
                + " serves what is in the Secret",
            configurationName, INJECT_CA_FROM, namespace, secretName);
        toldCertManagerInjects = true;
      }
      return usable(secret);
    }
    toldCertManagerInjects = false;
    Optional<CertificateBundle> current = bundle(secret);
    Renewal renewal = certificates.check(current, now);
    CertificateBundle served;
    if (renewal.needed()) {
      LOG.infof(
          "Issuing the webhook's certificate into Secret %s/%s: %s",
          namespace, secretName, renewal.reason());
      served = certificates.issue(current, now);
      write(secret, served);
    } else {
      served = current.orElseThrow();
    }
    patchCaBundle(configuration, served.caCrt());
    return Optional.of(served);
  }

  private Resource<Secret> secret() {
    return client.secrets().inNamespace(namespace).withName(secretName);
  }

  private Resource<MutatingWebhookConfiguration> configuration() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configurationName);
  }

  private static boolean annotated(MutatingWebhookConfiguration configuration) {
    Map<String, String> annotations = configuration.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(INJECT_CA_FROM);
  }

  private Optional<CertificateBundle> usable(Secret secret) {
    Optional<CertificateBundle> bundle = bundle(secret);
    if (bundle.isEmpty()) {
      LOG.warnf("Secret %s/%s holds no webhook certificate yet", namespace, secretName);
      return bundle;
    }
    try {
      ServingCertificate.of(bundle.get());
      return bundle;
    } catch (InvalidCertificateException e) {
      LOG.warnf("Secret %s/%s cannot be served: %s", namespace, secretName, e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<CertificateBundle> bundle(Secret secret) {
    if (secret == null || secret.getData() == null) {
      return Optional.empty();
    }
    Map<String, String> data = secret.getData();
    return Optional.of(
        new CertificateBundle(
            decode(data.get(CA_CRT)), decode(data.get(TLS_CRT)), decode(data.get(TLS_KEY))));
  }

  private void write(Secret existing, CertificateBundle bundle) {
    Map<String, String> data =
        Map.of(
            CA_CRT, encode(bundle.caCrt()),
            TLS_CRT, encode(bundle.tlsCrt()),
            TLS_KEY, encode(bundle.tlsKey()));
    if (existing != null && TLS_TYPE.equals(existing.getType())) {
      // The read's resourceVersion goes with the update: a concurrent writer makes it fail.
      client
          .secrets()
          .inNamespace(namespace)
          .resource(new SecretBuilder(existing).withData(data).withStringData(null).build())
          .update();
      return;
    }
    if (existing != null) {
      // A Secret's type cannot change: a foreign one is replaced.
      LOG.warnf(
          "Secret %s/%s is of type %s, not %s: replacing it",
          namespace, secretName, existing.getType(), TLS_TYPE);
      secret().delete();
    }
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secretName)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "cairn-operator")
                .endMetadata()
                .withType(TLS_TYPE)
                .withData(data)
                .build())
        .create();
  }

  private void patchCaBundle(MutatingWebhookConfiguration configuration, String caCrt) {
    if (configuration == null) {
      LOG.warnf(
          "No MutatingWebhookConfiguration %s: the API server calls no webhook until it exists"
              + " (kubectl apply -k k8s/); its CA bundle is set on the next look",
          configurationName);
      return;
    }
    String caBundle = encode(caCrt);
    if (configuration.getWebhooks().stream()
        .allMatch(w -> caBundle.equals(w.getClientConfig().getCaBundle()))) {
      return;
    }
    configuration()
        .edit(
            c -> {
              for (MutatingWebhook webhook : c.getWebhooks()) {
                webhook.getClientConfig().setCaBundle(caBundle);
              }
              return c;
            });
    LOG.infof(
        "Patched the CA bundle of the %d entries of MutatingWebhookConfiguration %s",
        configuration.getWebhooks().size(), configurationName);
  }

  /** Null for a missing or malformed value: the bundle is then unreadable, and replaced. */
  private static String decode(String base64) {
    if (base64 == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
