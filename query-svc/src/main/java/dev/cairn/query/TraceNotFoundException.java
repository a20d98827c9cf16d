package dev.cairn.query;

import dev.cairn.model.TraceId;
import java.util.List;

/**
 * No span of the trace is stored (never arrived, not sampled, or past retention) in the regions
 * that answered; {@link #missingRegions()} names the federated regions that did not.
 */
public final class TraceNotFoundException extends RuntimeException {

  private final TraceId traceId;
  private final List<String> missingRegions;

  public TraceNotFoundException(TraceId traceId) {
    this(traceId, List.of());
  }

  public TraceNotFoundException(TraceId traceId, List<String> missingRegions) {
    super(
        "No span of trace "
            + traceId.toHex()
            + " is stored"
            + (missingRegions.isEmpty()
                ? ""
                : " in the regions that answered; "
                    + String.join(", ", missingRegions)
                    + " did not answer"));
    this.traceId = traceId;
    this.missingRegions = List.copyOf(missingRegions);
  }

  public TraceId traceId() {
    return traceId;
  }

  public List<String> missingRegions() {
    return missingRegions;
  }
}
