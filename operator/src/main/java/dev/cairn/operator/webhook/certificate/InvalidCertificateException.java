package dev.cairn.operator.webhook.certificate;

/** A Secret's certificate or key that cannot be read, or does not fit together. */
public final class InvalidCertificateException extends Exception {
  public InvalidCertificateException(String message) {
    super(message);
  }
}
