package dev.cairn.operator.webhook.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

class WebhookCertificatesTest {
  static final ServiceIdentity SERVICE = new ServiceIdentity("cairn-operator", "cairn-system");
  static final RenewalPolicy POLICY = new RenewalPolicy(Duration.ofDays(365), Duration.ofDays(30));
  static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

  final WebhookCertificates certificates = new WebhookCertificates(SERVICE, POLICY);

  @Test
  void theServingCertificateNamesEveryNameOfTheService() throws Exception {
    ServingCertificate issued = ServingCertificate.of(certificates.issue(Optional.empty(), NOW));

    assertThat(issued.dnsNames())
        .containsExactlyInAnyOrder(
            "cairn-operator",
            "cairn-operator.cairn-system",
            "cairn-operator.cairn-system.svc",
            "cairn-operator.cairn-system.svc.cluster.local");
    assertThat(issued.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(issued.leaf().getBasicConstraints()).isEqualTo(-1);
    assertThat(issued.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void theCaSignsTheServingCertificateAsAClientChecksIt() throws Exception {
    CertificateBundle bundle = certificates.issue(Optional.empty(), NOW);
    X509Certificate ca = Pem.certificates(bundle.caCrt()).get(0);
    X509Certificate leaf = Pem.certificates(bundle.tlsCrt()).get(0);

    PKIXParameters trust = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    trust.setRevocationEnabled(false);
    trust.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), trust);

    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
  }

  @Test
  void theKeyIsTheCertificatesAndAnotherKeyIsRefused() throws Exception {
    CertificateBundle one = certificates.issue(Optional.empty(), NOW);
    CertificateBundle other = certificates.issue(Optional.empty(), NOW);

    assertThat(ServingCertificate.of(one).key().getAlgorithm()).isEqualTo("EC");
    assertThat(one.tlsKey()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(
            () ->
                ServingCertificate.of(
                    new CertificateBundle(one.caCrt(), one.tlsCrt(), other.tlsKey())))
        .hasMessageContaining("tls.key is not the key of tls.crt");
  }

  @Test
  void aFreshCertificateIsKeptUntilRenewBeforeItsEnd() {
    Optional<CertificateBundle> current = Optional.of(certificates.issue(Optional.empty(), NOW));
    Instant renewAt = NOW.plus(Duration.ofDays(365 - 30));

    assertThat(certificates.check(current, NOW).needed()).isFalse();
    assertThat(certificates.check(current, renewAt.minusSeconds(1)).needed()).isFalse();
    Renewal due = certificates.check(current, renewAt);
    assertThat(due.needed()).isTrue();
    assertThat(due.reason()).contains("expires at 2027-12-03T06:00:00Z");
    assertThat(certificates.check(current, NOW.plus(Duration.ofDays(400))).needed()).isTrue();
  }

  @Test
  void aCertificateNotValidYetIsReplaced() {
    Optional<CertificateBundle> future =
        Optional.of(certificates.issue(Optional.empty(), NOW.plus(Duration.ofDays(1))));

    assertThat(certificates.check(future, NOW).reason()).startsWith("not valid before");
  }

  @Test
  void noSecretMeansANewCertificate() {
    assertThat(certificates.check(Optional.empty(), NOW))
        .isEqualTo(new Renewal(true, "no certificate yet"));
  }

  @Test
  void aCertificateForAnotherServiceIsReplaced() {
    Optional<CertificateBundle> foreign =
        Optional.of(
            new WebhookCertificates(new ServiceIdentity("cairn-operator", "elsewhere"), POLICY)
                .issue(Optional.empty(), NOW));

    Renewal renewal = certificates.check(foreign, NOW);

    assertThat(renewal.needed()).isTrue();
    assertThat(renewal.reason()).contains("cairn-operator.elsewhere.svc", "are not");
  }

  @Test
  void aMalformedOrMismatchedSecretIsReplaced() {
    CertificateBundle good = certificates.issue(Optional.empty(), NOW);
    CertificateBundle otherCa = certificates.issue(Optional.empty(), NOW);

    assertThat(
            certificates.check(
                Optional.of(
                    new CertificateBundle(good.caCrt(), "not a certificate", good.tlsKey())),
                NOW))
        .isEqualTo(new Renewal(true, "no certificate"));
    assertThat(
            certificates
                .check(Optional.of(new CertificateBundle(good.caCrt(), good.tlsCrt(), null)), NOW)
                .reason())
        .isEqualTo("missing ca.crt, tls.crt or tls.key");
    assertThat(
            certificates
                .check(
                    Optional.of(new CertificateBundle(good.caCrt(), good.tlsKey(), good.tlsKey())),
                    NOW)
                .reason())
        .startsWith("not a certificate");
    assertThat(
            certificates
                .check(
                    Optional.of(
                        new CertificateBundle(otherCa.caCrt(), good.tlsCrt(), good.tlsKey())),
                    NOW)
                .reason())
        .contains("is not signed by a CA of ca.crt");
  }

  @Test
  void aRenewalStillTrustsTheCaOfTheCertificateItReplaces() throws Exception {
    CertificateBundle old = certificates.issue(Optional.empty(), NOW);
    Instant later = NOW.plus(Duration.ofDays(340));

    CertificateBundle renewed = certificates.issue(Optional.of(old), later);

    List<X509Certificate> trusted = Pem.certificates(renewed.caCrt());
    assertThat(trusted).hasSize(2);
    assertThat(trusted.get(1)).isEqualTo(Pem.certificates(old.caCrt()).get(0));
    assertThat(ServingCertificate.of(old).leaf().getNotAfter()).isNotNull();
    assertThat(certificates.check(Optional.of(renewed), later).needed()).isFalse();
    // The old serving certificate verifies against the new bundle: no gap while the server
    // switches.
    assertThat(
            ServingCertificate.of(
                new CertificateBundle(renewed.caCrt(), old.tlsCrt(), old.tlsKey())))
        .isNotNull();
  }

  @Test
  void aForeignOrExpiredCaIsNotCarriedOver() throws Exception {
    CertificateBundle foreign =
        new WebhookCertificates(new ServiceIdentity("someone-else", "cairn-system"), POLICY)
            .issue(Optional.empty(), NOW);
    CertificateBundle old = certificates.issue(Optional.empty(), NOW);

    assertThat(Pem.certificates(certificates.issue(Optional.of(foreign), NOW).caCrt())).hasSize(1);
    assertThat(
            Pem.certificates(
                certificates.issue(Optional.of(old), NOW.plus(Duration.ofDays(366))).caCrt()))
        .hasSize(1);
  }

  @Test
  void keysInOtherEncodingsAreRead() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    StringWriter pkcs1 = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
      writer.writeObject(rsa.generateKeyPair().getPrivate());
    }

    assertThat(pkcs1.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pem.privateKey(pkcs1.toString()).getAlgorithm()).isEqualTo("RSA");
    assertThatThrownBy(() -> Pem.privateKey("nothing")).hasMessage("no private key");
  }

  @Test
  void aPolicyThatWouldRenewForeverIsRefused() {
    assertThatThrownBy(() -> new RenewalPolicy(Duration.ofDays(30), Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRenewalIsServedOnceClientsTrustItsCa() {
    CertificateBundle served = certificates.issue(Optional.empty(), NOW);
    Instant later = NOW.plus(Duration.ofDays(340));
    CertificateBundle renewed = certificates.issue(Optional.of(served), later);
    CertificateBundle unrelated = certificates.issue(Optional.empty(), later);

    // The renewed bundle still trusts the served certificate: it stays until the next look.
    assertThat(SwitchOver.now(served, renewed, later)).isFalse();
    // A bundle that does not trust it (cert-manager's self-signed renewal, a foreign Secret).
    assertThat(SwitchOver.now(served, unrelated, later)).isTrue();
    // The served one has run out: nothing is gained by waiting.
    assertThat(SwitchOver.now(served, renewed, NOW.plus(Duration.ofDays(366)))).isTrue();
  }
}
