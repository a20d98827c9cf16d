package dev.cairn.operator.model;

import java.util.List;

/** A spec the operator cannot act on; the problems say what to change. */
public final class InvalidSpecException extends RuntimeException {
  private final List<String> problems;

  public InvalidSpecException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
