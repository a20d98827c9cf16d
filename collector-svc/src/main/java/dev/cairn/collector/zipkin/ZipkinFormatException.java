package dev.cairn.collector.zipkin;

/** The body is not a Zipkin v2 list of spans in the encoding it claims; the request is refused. */
public final class ZipkinFormatException extends Exception {

  public ZipkinFormatException(String message) {
    super(message);
  }

  public ZipkinFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
