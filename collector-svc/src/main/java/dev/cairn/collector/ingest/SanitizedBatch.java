package dev.cairn.collector.ingest;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The valid, bounded spans of a request and what was taken out of it.
 *
 * @param accepted the valid spans with their resources and scopes; no empty resource or scope
 * @param acceptedSpans how many spans {@code accepted} holds
 * @param rejected rejected span counts, by reason (in {@link RejectReason} order)
 * @param truncatedValues attribute values shortened to the length limit
 */
public record SanitizedBatch(
    List<ResourceSpans> accepted,
    int acceptedSpans,
    Map<RejectReason, Integer> rejected,
    long truncatedValues) {

  public SanitizedBatch {
    accepted = List.copyOf(accepted);
    rejected = rejected.isEmpty() ? Map.of() : new EnumMap<>(rejected);
  }

  public int rejectedSpans() {
    return rejected.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The OTLP {@code partial_success.error_message}, e.g. {@code "2 spans rejected: 1 invalid trace
   * id (all zero), 1 end before start"}; empty when nothing was rejected.
   */
  public String rejectionMessage() {
    return rejectionMessage(rejected);
  }

  /** The {@code partial_success.error_message} for these counts; empty when they are none. */
  static String rejectionMessage(Map<RejectReason, Integer> rejected) {
    int total = rejected.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return "";
    }
    return total
        + (total == 1 ? " span" : " spans")
        + " rejected: "
        + rejected.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().description())
            .collect(Collectors.joining(", "));
  }
}
