package dev.cairn.operator.model;

import java.util.Map;
import java.util.TreeMap;

/** Labels and annotations the operator puts on what it makes. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String REGION = "cairn.dev/region";

  public static final String MANAGED_BY_VALUE = "cairn-operator";

  /** The operator's informers see only the objects it made. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  /**
   * On a pod template: the hash of the configuration its pods read, so that a change of that
   * configuration, and only of that, rolls the Deployment.
   */
  public static final String CONFIG_HASH = "cairn.dev/config-hash";

  private Labels() {}

  /** What selects a component's pods; never changes for a Deployment (selectors are immutable). */
  public static Map<String, String> selector(String cluster, String region, Component component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(NAME, component.imageName());
    labels.put(INSTANCE, cluster);
    labels.put(REGION, region);
    labels.put(COMPONENT, component.id());
    return labels;
  }

  /** Every label of a component's objects and pods. */
  public static Map<String, String> of(String cluster, String region, Component component) {
    Map<String, String> labels = selector(cluster, region, component);
    labels.put(PART_OF, "cairn");
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    return labels;
  }
}
