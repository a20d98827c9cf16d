package dev.cairn.operator.transport.http;

import dev.cairn.operator.webhook.certificate.CertificateBundle;
import dev.cairn.operator.webhook.certificate.InvalidCertificateException;
import dev.cairn.operator.webhook.certificate.Pem;
import dev.cairn.operator.webhook.certificate.ServingCertificate;
import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;

/**
 * A TLS server configuration held in memory, from a certificate bundle read through the API: no
 * file, so nothing waits for the kubelet to refresh a mounted Secret.
 */
final class PemTlsConfiguration extends BaseTlsConfiguration {
  private final PemKeyCertOptions keyCert;

  private PemTlsConfiguration(PemKeyCertOptions keyCert) {
    this.keyCert = keyCert;
  }

  /** The bundle's chain and key (the key as PKCS#8, whatever the Secret's encoding). */
  static PemTlsConfiguration of(CertificateBundle bundle) throws InvalidCertificateException {
    ServingCertificate serving = ServingCertificate.of(bundle);
    return new PemTlsConfiguration(
        new PemKeyCertOptions()
            .addCertValue(Buffer.buffer(bundle.tlsCrt()))
            .addKeyValue(Buffer.buffer(Pem.write(serving.key()))));
  }

  @Override
  public KeyCertOptions getKeyStoreOptions() {
    return keyCert;
  }

  @Override
  public SSLOptions getSSLOptions() {
    // ALPN as Quarkus' own TLS configurations have it (HTTP/2 for clients that ask).
    return new SSLOptions().setKeyCertOptions(keyCert).setUseAlpn(true);
  }
}
