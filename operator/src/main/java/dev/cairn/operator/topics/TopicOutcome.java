package dev.cairn.operator.topics;

import dev.cairn.operator.api.TopicStatus;
import java.util.List;
import java.util.Optional;

/**
 * The topics as left by one pass, and what failed, if anything: one message per Kafka cluster that
 * could not be reconciled.
 */
public record TopicOutcome(List<TopicStatus> topics, List<String> failures) {

  public Optional<String> failure() {
    return failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures));
  }
}
