package dev.cairn.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer is behind, the same way in every service, so that dashboards add and compare
 * the services' {@code consumer_lag} gauges directly.
 */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * Records between the consumer's position and the end of each assigned partition, summed, as of
   * the partitions' last fetch (a partition not fetched yet counts 0). Call it from the thread that
   * polls: consumers are not thread-safe.
   */
  public static long recordsBehind(Consumer<?, ?> consumer) {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0);
    }
    return total;
  }
}
