package dev.cairn.store;

import java.util.List;
import java.util.Map;

/**
 * Adds span-metric deltas to the store exactly once per record of the metrics topic: the store
 * keeps, per partition, the next offset to add, and moves it in the transaction that adds the
 * deltas. Durable on return.
 */
public interface MetricsWriter {

  /**
   * Adds the deltas of one partition's records (in offset order) that were not added before.
   *
   * @return how many records were added now
   * @throws StoreUnavailableException when the store could not take them for now; retry
   * @throws InvalidSpanBatchException when the store refused a value; the same records fail again
   */
  int apply(String topic, int partition, List<MetricsDelta> deltas);

  /** Partition to the next offset to add, for every partition of {@code topic} added to before. */
  Map<Integer, Long> nextOffsets(String topic);
}
