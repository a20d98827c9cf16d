package dev.cairn.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One Cairn pipeline per region it names: collector gateways, sampler, storage and query, their
 * Kafka topics, and the agent injected into opted-in pods. The CRD in {@code k8s/} is generated
 * from this class and the types it holds.
 */
@Group(TracingCluster.GROUP)
@Version(TracingCluster.VERSION)
@ShortNames("tc")
@AdditionalPrinterColumn(
    name = "Regions",
    jsonPath = ".status.regionNames",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyRegions",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TracingCluster extends CustomResource<TracingClusterSpec, TracingClusterStatus>
    implements Namespaced {
  public static final String GROUP = "cairn.dev";
  public static final String VERSION = "v1alpha1";
}
