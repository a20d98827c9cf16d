package dev.cairn.store;

import dev.cairn.model.SpanKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Span metrics of one service from {@code start} (inclusive) to {@code end} (exclusive), summed per
 * {@code step} (whole minutes; steps start at {@code start}), optionally of one operation and kind.
 */
public record MetricsQuery(
    String service,
    Optional<String> operation,
    Optional<SpanKind> kind,
    Instant start,
    Instant end,
    Duration step) {

  public MetricsQuery {
    Objects.requireNonNull(service);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start must be before end");
    }
    if (step.toSeconds() < 60 || step.toSeconds() % 60 != 0 || step.toNanosPart() != 0) {
      throw new IllegalArgumentException("step must be a whole number of minutes: " + step);
    }
  }
}
