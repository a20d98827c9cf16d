package dev.cairn.sampler;

import java.util.Locale;

/** Why a record was rejected; the tag value of {@code cairn_sampler_records_rejected_total}. */
public enum RejectReason {
  /** The key is absent or not the 16 bytes of a trace id. */
  INVALID_KEY,
  /** The value is absent or not an OTLP TracesData message. */
  INVALID_VALUE;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
