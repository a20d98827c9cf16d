package dev.cairn.model.wire;

/** A Kafka record that does not follow the wire format; consumers count it and skip it. */
public final class MalformedRecordException extends RuntimeException {
  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
