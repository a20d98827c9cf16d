package dev.cairn.operator.webhook.certificate;

/**
 * The webhook's certificate as PEM text, the three keys of a {@code kubernetes.io/tls} Secret:
 * {@code ca.crt} (the CA bundle clients trust, one or more certificates), {@code tls.crt} (the
 * serving certificate, optionally followed by its chain) and {@code tls.key}.
 */
public record CertificateBundle(String caCrt, String tlsCrt, String tlsKey) {
  public static final String CA_CRT = "ca.crt";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
}
