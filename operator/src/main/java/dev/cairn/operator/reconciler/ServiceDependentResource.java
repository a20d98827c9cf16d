package dev.cairn.operator.reconciler;

import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The Services of every region. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public final class ServiceDependentResource extends ManagedKindDependentResource<Service> {
  public ServiceDependentResource() {
    super(Service.class);
  }

  @Override
  List<Service> pick(DesiredState desired) {
    return desired.services();
  }
}
