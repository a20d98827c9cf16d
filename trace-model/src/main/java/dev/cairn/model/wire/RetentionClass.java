package dev.cairn.model.wire;

import java.util.Locale;

/**
 * How long a sampled trace is kept: the value of the {@code cairn-retention} header on {@code
 * cairn.spans.sampled}, and the spans hypertable storage writes it to.
 */
public enum RetentionClass {
  /** Ordinary traces, kept 7 days by default. */
  STANDARD,
  /** Traces with errors or that are slow, kept 30 days by default. */
  EXTENDED;

  public String headerValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Unknown or absent values fall back to STANDARD: never lose a span over a header. */
  public static RetentionClass fromHeader(String value) {
    return "extended".equalsIgnoreCase(value) ? EXTENDED : STANDARD;
  }
}
