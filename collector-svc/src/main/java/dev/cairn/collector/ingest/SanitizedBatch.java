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
 * @param replaced characters replaced with U+FFFD, by reason (in {@link CharacterReplacement}
 *     order)
 */
public record SanitizedBatch(
    List<ResourceSpans> accepted,
    int acceptedSpans,
    Map<RejectReason, Integer> rejected,
    long truncatedValues,
    Map<CharacterReplacement, Long> replaced) {

  public SanitizedBatch {
    accepted = List.copyOf(accepted);
    rejected = rejected.isEmpty() ? Map.of() : new EnumMap<>(rejected);
    replaced = replaced.isEmpty() ? Map.of() : new EnumMap<>(replaced);
  }

  /**
   * This batch with {@code spans} more spans rejected for {@code reason}, found after sanitizing
   * (spans too large for a record show only when the batch is cut into records, a full agent queue
   * only when the spans are offered to it): they leave the count of accepted spans; {@code
   * accepted} still holds them, so do not publish it again.
   */
  public SanitizedBatch withRejected(RejectReason reason, int spans) {
    return withRejected(Map.of(reason, spans));
  }

  /** As {@link #withRejected(RejectReason, int)}, for several reasons at once. */
  public SanitizedBatch withRejected(Map<RejectReason, Integer> more) {
    int spans = more.values().stream().mapToInt(Integer::intValue).sum();
    if (spans == 0) {
      return this;
    }
    Map<RejectReason, Integer> all = new EnumMap<>(RejectReason.class);
    all.putAll(rejected);
    more.forEach((reason, count) -> all.merge(reason, count, Integer::sum));
    return new SanitizedBatch(accepted, acceptedSpans - spans, all, truncatedValues, replaced);
  }

  public int rejectedSpans() {
    return rejected.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The OTLP {@code partial_success.error_message}, e.g. {@code "2 spans rejected: 1 invalid trace
   * id (all zero), 1 end before start"}, followed by the replaced characters if any, e.g. {@code ";
   * 3 characters replaced with U+FFFD: 2 NUL (U+0000), 1 invalid UTF-8"} (without rejections, that
   * part alone: OTLP lets a server warn with {@code rejected_spans} 0); empty when nothing was
   * rejected or replaced.
   */
  public String rejectionMessage() {
    String rejections = rejections();
    String replacements = replacements();
    if (rejections.isEmpty() || replacements.isEmpty()) {
      return rejections + replacements;
    }
    return rejections + "; " + replacements;
  }

  private String rejections() {
    int total = rejectedSpans();
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

  private String replacements() {
    long total = replaced.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return "";
    }
    return total
        + (total == 1 ? " character" : " characters")
        + " replaced with U+FFFD: "
        + replaced.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().description())
            .collect(Collectors.joining(", "));
  }
}
