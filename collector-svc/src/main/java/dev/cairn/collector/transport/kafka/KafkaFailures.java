package dev.cairn.collector.transport.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a failed send may succeed when the client sends the same spans again: the one place that
 * decides between a retryable answer (UNAVAILABLE / 503) and a final one (INVALID_ARGUMENT / 400).
 */
final class KafkaFailures {

  private KafkaFailures() {}

  /**
   * Retryable: Kafka's {@link RetriableException}s (timeouts, broker or leader unavailable, not
   * enough replicas, buffer exhausted), and what concerns this producer rather than the records
   * (its idempotence state, being closed or interrupted, any non-Kafka error). Every other {@link
   * KafkaException} refuses the records themselves (record too large, serialization, invalid topic,
   * authorisation and authentication, invalid configuration), so resending them cannot help.
   */
  static boolean isRetryable(Throwable error) {
    if (!(error instanceof KafkaException)
        || error instanceof RetriableException
        || error instanceof ApplicationRecoverableException
        || error instanceof OutOfOrderSequenceException
        || error instanceof InterruptException) {
      return true;
    }
    // The bare class is what the producer fails pending sends with when it is closed.
    return error.getClass() == KafkaException.class;
  }
}
