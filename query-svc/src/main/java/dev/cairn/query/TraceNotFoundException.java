package dev.cairn.query;

import dev.cairn.model.TraceId;

/** No span of the trace is stored (never arrived, not sampled, or past retention). */
public final class TraceNotFoundException extends RuntimeException {

  private final TraceId traceId;

  public TraceNotFoundException(TraceId traceId) {
    super("no span of trace " + traceId.toHex() + " is stored");
    this.traceId = traceId;
  }

  public TraceId traceId() {
    return traceId;
  }
}
