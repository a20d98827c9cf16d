package dev.cairn.model;

/** A span's outcome. */
public record SpanStatus(StatusCode code, String message) {

  public static final SpanStatus UNSET = new SpanStatus(StatusCode.UNSET, "");

  public boolean isError() {
    return code == StatusCode.ERROR;
  }
}
