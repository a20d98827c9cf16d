package dev.cairn.operator.webhook.certificate;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's own certificates: a self-signed CA and a serving certificate it signs for every
 * name of the webhook's Service (ECDSA P-256), and the decision whether a Secret's certificate can
 * stay. Pure: the time comes from the caller.
 */
public final class WebhookCertificates {
  /**
   * Issued certificates start this much before "now", for clocks slightly behind the operator's.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final String SIGNATURE = "SHA256withECDSA";

  private final ServiceIdentity service;
  private final RenewalPolicy policy;
  private final SecureRandom random;

  public WebhookCertificates(ServiceIdentity service, RenewalPolicy policy) {
    this(service, policy, new SecureRandom());
  }

  WebhookCertificates(ServiceIdentity service, RenewalPolicy policy, SecureRandom random) {
    this.service = service;
    this.policy = policy;
    this.random = random;
  }

  /**
   * Whether the Secret's certificate must be replaced: it is missing, unreadable, its parts do not
   * fit, its names are not the Service's, it is not valid yet, or less than the policy's
   * renew-before is left.
   */
  public Renewal check(Optional<CertificateBundle> current, Instant now) {
    if (current.isEmpty()) {
      return Renewal.replace("no certificate yet");
    }
    ServingCertificate serving;
    Set<String> names;
    try {
      serving = ServingCertificate.of(current.get());
      names = serving.dnsNames();
    } catch (InvalidCertificateException e) {
      return Renewal.replace(e.getMessage());
    }
    Set<String> wanted = new TreeSet<>(service.dnsNames());
    if (!names.containsAll(wanted)) {
      return Renewal.replace("its names " + names + " are not " + wanted);
    }
    Instant notBefore = serving.leaf().getNotBefore().toInstant();
    Instant notAfter = serving.leaf().getNotAfter().toInstant();
    if (now.isBefore(notBefore)) {
      return Renewal.replace("not valid before " + notBefore);
    }
    if (!now.isBefore(notAfter.minus(policy.renewBefore()))) {
      return Renewal.replace("it expires at " + notAfter);
    }
    return Renewal.keep("valid until " + notAfter);
  }

  /**
   * A new CA and serving certificate. The CA bundle also keeps the previous bundle's CAs that are
   * still valid, so that clients holding the new bundle accept the old certificate too while the
   * server switches over.
   */
  public CertificateBundle issue(Optional<CertificateBundle> previous, Instant now) {
    try {
      Instant notBefore = now.minus(CLOCK_SKEW);
      Instant notAfter = now.plus(policy.validity());
      KeyPair caKey = newKey();
      X500Name caName = new X500Name("CN=" + service.service() + "-webhook-ca");
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
                  caName,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  caName,
                  caKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(caKey.getPublic()));
      X509Certificate caCertificate = sign(ca, caKey);

      KeyPair leafKey = newKey();
      List<String> names = service.dnsNames();
      X509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  new X500Name("CN=" + names.get(2)),
                  leafKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(
                      names.stream()
                          .map(n -> new GeneralName(GeneralName.dNSName, n))
                          .toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate leafCertificate = sign(leaf, caKey);

      StringBuilder bundle = new StringBuilder(Pem.write(caCertificate));
      for (X509Certificate old : stillValidAuthorities(previous, now)) {
        bundle.append(Pem.write(old));
      }
      return new CertificateBundle(
          bundle.toString(), Pem.write(leafCertificate), Pem.write(leafKey.getPrivate()));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      // The JDK's own EC provider and BouncyCastle's builders: a failure is a broken runtime.
      throw new IllegalStateException("cannot issue the webhook certificate", e);
    }
  }

  /**
   * The CA of the certificate being replaced, while it is valid and if it was ours to replace (its
   * parts fit and it names this Service): the server may still serve that certificate for a while.
   * A foreign or broken bundle's CAs are not trusted any longer.
   */
  private List<X509Certificate> stillValidAuthorities(
      Optional<CertificateBundle> previous, Instant now) {
    List<X509Certificate> kept = new ArrayList<>();
    if (previous.isEmpty()) {
      return kept;
    }
    try {
      ServingCertificate old = ServingCertificate.of(previous.get());
      if (!old.dnsNames().containsAll(service.dnsNames())) {
        return kept;
      }
      for (X509Certificate ca : old.authorities()) {
        if (now.isBefore(ca.getNotAfter().toInstant())
            && ServingCertificate.signs(ca, old.leaf())) {
          kept.add(ca);
        }
      }
    } catch (InvalidCertificateException e) {
      // Nothing of an unreadable bundle is kept.
    }
    return kept;
  }

  private KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  /** Positive and at most 20 octets (RFC 5280), random so that no two are alike. */
  private BigInteger serial() {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, java.security.cert.CertificateException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
  }
}
