package dev.cairn.model;

/** OTLP status codes, numbered as in the protocol. */
public enum StatusCode {
  UNSET(0),
  OK(1),
  ERROR(2);

  private final int number;

  StatusCode(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static StatusCode forNumber(int number) {
    for (StatusCode code : values()) {
      if (code.number == number) {
        return code;
      }
    }
    return UNSET;
  }
}
