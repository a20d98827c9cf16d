package dev.cairn.model.otlp;

/** An OTLP/JSON document that cannot be read; the message names what is wrong and where. */
public final class OtlpJsonException extends IllegalArgumentException {
  public OtlpJsonException(String message) {
    super(message);
  }

  public OtlpJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
