package dev.cairn.model;

/** OTLP span kinds, numbered as in the protocol. */
public enum SpanKind {
  UNSPECIFIED(0),
  INTERNAL(1),
  SERVER(2),
  CLIENT(3),
  PRODUCER(4),
  CONSUMER(5);

  private final int number;

  SpanKind(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** Unknown numbers map to UNSPECIFIED, as OTLP receivers must accept future kinds. */
  public static SpanKind forNumber(int number) {
    for (SpanKind kind : values()) {
      if (kind.number == number) {
        return kind;
      }
    }
    return UNSPECIFIED;
  }
}
