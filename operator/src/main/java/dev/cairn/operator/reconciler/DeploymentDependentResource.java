package dev.cairn.operator.reconciler;

import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The Deployments of every region. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public final class DeploymentDependentResource extends ManagedKindDependentResource<Deployment> {
  public DeploymentDependentResource() {
    super(Deployment.class);
  }

  @Override
  List<Deployment> pick(DesiredState desired) {
    return desired.deployments();
  }
}
