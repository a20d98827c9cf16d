package dev.cairn.operator.api;

/**
 * Defaults and bounds of the {@link TracingCluster} spec, in one place: the CRD's validation
 * annotations and the model that fills in what a spec leaves out both read them.
 */
public final class Defaults {
  public static final int MAX_REGIONS = 16;

  /** Object names are {@code <cluster>-<region>-<component>[-headless]}, at most 63 characters. */
  public static final int MAX_REGION_NAME = 20;

  public static final int MAX_REPLICAS = 1000;
  public static final int MAX_PARTITIONS = 10_000;
  public static final int MAX_REPLICATION_FACTOR = 7;
  public static final int MAX_POLICIES = 64;
  public static final int MAX_RETENTION_DAYS = 3650;
  public static final long MIN_AGENT_QUEUE_BYTES = 1L << 20;
  public static final long MAX_AGENT_QUEUE_BYTES = 1L << 30;

  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final String TOPIC_PREFIX = "^[a-zA-Z0-9._-]*$";
  public static final String DURATION = "^[0-9]+(ms|s|m|h)$";

  public static final int COLLECTOR_REPLICAS = 2;
  public static final int SAMPLER_REPLICAS = 2;
  public static final int STORAGE_REPLICAS = 2;
  public static final int QUERY_REPLICAS = 1;
  public static final int AUTOSCALING_MIN_REPLICAS = 2;
  public static final int AUTOSCALING_MAX_REPLICAS = 10;
  public static final int AUTOSCALING_TARGET_CPU = 70;
  public static final String TOPOLOGY_SPREAD_KEY = "topology.kubernetes.io/zone";

  public static final int PARTITIONS = 6;
  public static final int REPLICATION_FACTOR = 3;

  public static final double HEAD_RATE = 1.0;
  public static final double BASE_RATE = 1.0;
  public static final String DECISION_WAIT = "10s";

  public static final int STANDARD_DAYS = 7;
  public static final int EXTENDED_DAYS = 30;
  public static final int AGGREGATES_DAYS = 90;

  public static final long AGENT_QUEUE_BYTES = 64L << 20;

  public static final String IMAGE_REPOSITORY = "cairn";
  public static final String IMAGE_TAG = "0.1.0";
  public static final ImagePullPolicy PULL_POLICY = ImagePullPolicy.IfNotPresent;

  /** The OpenTelemetry Java agent's version in the default instrumentation image. */
  public static final String JAVA_AGENT_IMAGE = IMAGE_REPOSITORY + "/otel-javaagent:2.33.1";

  private Defaults() {}
}
