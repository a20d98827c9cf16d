package dev.cairn.collector.agent;

import java.util.Set;

/**
 * Which failed exports are sent again: the one list of retryable gRPC status codes. It is
 * OpenTelemetry's OTLP list ({@code CANCELLED}, {@code DEADLINE_EXCEEDED}, {@code ABORTED}, {@code
 * OUT_OF_RANGE}, {@code UNAVAILABLE}, {@code DATA_LOSS}) plus {@code RESOURCE_EXHAUSTED}, which a
 * Cairn gateway answers when it is overloaded (gRPC flow control, a full producer buffer); a retry
 * goes to another gateway while this one backs off. Everything else ({@code INVALID_ARGUMENT},
 * which a gateway answers for spans Kafka refused for good, {@code UNIMPLEMENTED}, {@code
 * PERMISSION_DENIED}, {@code UNKNOWN}, {@code INTERNAL}, ...) says the export itself is wrong:
 * sending it again cannot help, so it is dropped and counted.
 */
public final class RetryPolicy {

  private static final Set<String> RETRYABLE =
      Set.of(
          "CANCELLED",
          "DEADLINE_EXCEEDED",
          "RESOURCE_EXHAUSTED",
          "ABORTED",
          "OUT_OF_RANGE",
          "UNAVAILABLE",
          "DATA_LOSS");

  private RetryPolicy() {}

  /**
   * @param code a gRPC status code's name
   */
  public static boolean isRetryable(String code) {
    return RETRYABLE.contains(code);
  }
}
