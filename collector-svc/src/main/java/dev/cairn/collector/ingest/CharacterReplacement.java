package dev.cairn.collector.ingest;

/**
 * Why a character of a string field was replaced with U+FFFD. Such strings are kept, not rejected:
 * the span is still useful, and the replacement character shows where its text was damaged.
 * PostgreSQL cannot store NUL in text or jsonb; invalid UTF-8 fails the whole protobuf parse;
 * unpaired surrogates (from OTLP JSON escapes) cannot be encoded as UTF-8.
 */
public enum CharacterReplacement {
  NUL("nul", "NUL (U+0000)"),
  INVALID_UTF8("invalid_utf8", "invalid UTF-8"),
  UNPAIRED_SURROGATE("unpaired_surrogate", "unpaired UTF-16 surrogate");

  static final char REPLACEMENT_CHARACTER = '\uFFFD';

  private final String metricTag;
  private final String description;

  CharacterReplacement(String metricTag, String description) {
    this.metricTag = metricTag;
    this.description = description;
  }

  /** Value of the {@code reason} tag of {@code cairn_collector_characters_replaced_total}. */
  public String metricTag() {
    return metricTag;
  }

  /** Wording used in the OTLP {@code partial_success.error_message}. */
  public String description() {
    return description;
  }
}
