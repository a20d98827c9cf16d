package dev.cairn.operator.reconciler;

import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.model.DesiredState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies one kind of the {@link DesiredState} the reconciler computed: creates what is missing,
 * updates what drifted, deletes what the spec no longer asks for (a region removed, autoscaling
 * turned off). Owner references let Kubernetes delete the rest with the cluster.
 */
abstract class ManagedKindDependentResource<R extends HasMetadata>
    extends KubernetesDependentResource<R, TracingCluster>
    implements CRUDKubernetesBulkDependentResource<R, TracingCluster>,
        GarbageCollected<TracingCluster> {

  ManagedKindDependentResource(Class<R> kind) {
    super(kind);
  }

  /** The objects of this kind in the desired state. */
  abstract List<R> pick(DesiredState desired);

  @Override
  public Map<ResourceID, R> desiredResources(
      TracingCluster primary, Context<TracingCluster> context) {
    return pick(TracingClusterReconciler.desiredState(context)).stream()
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }

  @Override
  public Map<ResourceID, R> getSecondaryResources(
      TracingCluster primary, Context<TracingCluster> context) {
    return context
        .getSecondaryResourcesAsStream(resourceType())
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
