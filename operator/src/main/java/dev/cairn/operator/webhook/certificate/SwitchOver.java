package dev.cairn.operator.webhook.certificate;

import java.time.Instant;

/**
 * When the server may present a new certificate. Clients (the API server) learn the new CA bundle
 * from the webhook configuration a moment after it is patched; presenting the new certificate
 * before then would fail their handshakes. A renewal's bundle still trusts the certificate being
 * replaced, so that one is served until the next look; a certificate the new bundle no longer
 * trusts (cert-manager's self-signed renewal, a foreign or broken one) or one that is no longer
 * valid is replaced at once.
 */
public final class SwitchOver {
  private SwitchOver() {}

  public static boolean now(CertificateBundle served, CertificateBundle next, Instant now) {
    try {
      ServingCertificate current =
          ServingCertificate.of(
              new CertificateBundle(next.caCrt(), served.tlsCrt(), served.tlsKey()));
      return !now.isBefore(current.leaf().getNotAfter().toInstant())
          || now.isBefore(current.leaf().getNotBefore().toInstant());
    } catch (InvalidCertificateException e) {
      return true;
    }
  }
}
