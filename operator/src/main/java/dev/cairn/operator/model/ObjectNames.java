package dev.cairn.operator.model;

/** Names of the objects the operator makes; all of a region's start with its prefix. */
public final class ObjectNames {
  private ObjectNames() {}

  public static String regionPrefix(String cluster, String region) {
    return cluster + "-" + region;
  }

  /** The Deployment, its Service, HPA and PDB. */
  public static String component(String cluster, String region, Component component) {
    return regionPrefix(cluster, region) + "-" + component.id();
  }

  public static String config(String cluster, String region, Component component) {
    return component(cluster, region, component) + "-config";
  }

  /** The gateways' headless Service: one DNS name, an address per ready pod, for agents. */
  public static String gatewayHeadless(String cluster, String region) {
    return component(cluster, region, Component.COLLECTOR) + "-headless";
  }
}
