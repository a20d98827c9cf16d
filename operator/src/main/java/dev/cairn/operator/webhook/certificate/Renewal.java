package dev.cairn.operator.webhook.certificate;

/** Whether the Secret's certificate must be replaced, and why (for the log). */
public record Renewal(boolean needed, String reason) {

  static Renewal keep(String reason) {
    return new Renewal(false, reason);
  }

  static Renewal replace(String reason) {
    return new Renewal(true, reason);
  }
}
