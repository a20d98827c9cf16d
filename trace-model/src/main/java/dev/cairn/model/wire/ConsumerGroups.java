package dev.cairn.model.wire;

/**
 * Default Kafka consumer groups of the pipeline's stages. Replicas of a stage share one group, so
 * that a partition, and with it a whole trace, is read by one replica.
 */
public final class ConsumerGroups {
  public static final String SAMPLER = "cairn-sampler";
  public static final String STORAGE = "cairn-storage";

  private ConsumerGroups() {}
}
