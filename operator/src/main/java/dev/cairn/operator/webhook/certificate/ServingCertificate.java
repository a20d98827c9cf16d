package dev.cairn.operator.webhook.certificate;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bundle whose parts fit together: the serving certificate is signed by a CA of the bundle and
 * its key is the one in {@code tls.key}. Says nothing yet about names or dates.
 */
public record ServingCertificate(
    List<X509Certificate> chain, PrivateKey key, List<X509Certificate> authorities) {

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Reads and cross-checks the three parts of a bundle. */
  public static ServingCertificate of(CertificateBundle bundle) throws InvalidCertificateException {
    if (bundle.caCrt() == null || bundle.tlsCrt() == null || bundle.tlsKey() == null) {
      throw new InvalidCertificateException("missing ca.crt, tls.crt or tls.key");
    }
    List<X509Certificate> authorities = Pem.certificates(bundle.caCrt());
    List<X509Certificate> chain = Pem.certificates(bundle.tlsCrt());
    PrivateKey key = Pem.privateKey(bundle.tlsKey());
    X509Certificate leaf = chain.get(0);
    if (authorities.stream().noneMatch(ca -> signs(ca, leaf))) {
      throw new InvalidCertificateException(
          "tls.crt (" + leaf.getSubjectX500Principal() + ") is not signed by a CA of ca.crt");
    }
    if (!matches(key, leaf)) {
      throw new InvalidCertificateException("tls.key is not the key of tls.crt");
    }
    return new ServingCertificate(chain, key, authorities);
  }

  /** The DNS names of the serving certificate's subjectAltName. */
  public Set<String> dnsNames() throws InvalidCertificateException {
    Set<String> names = new TreeSet<>();
    try {
      Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0))) { // dNSName
            names.add((String) san.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new InvalidCertificateException("unreadable subjectAltName: " + e.getMessage());
    }
    return names;
  }

  static boolean signs(X509Certificate ca, X509Certificate leaf) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether the key signs what the certificate's public key verifies: works for any key type. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
