package dev.cairn.sampler.assembly;

import java.util.Locale;

/** Why a buffered trace was handed to the policies; the tag of the decision metrics. */
public enum CompletionCause {
  /** Its root arrived and no span followed for the decision wait. */
  QUIET,
  /** It reached the maximum trace age. */
  MAX_AGE,
  /** The buffer was full: the oldest traces are decided early. */
  BUFFER_FULL,
  /** It reached the span or byte bound of one trace: decided early, later spans follow it. */
  TRACE_LIMIT;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the causes that decide before the trace is known to be complete. */
  public boolean early() {
    return this == BUFFER_FULL || this == TRACE_LIMIT;
  }
}
