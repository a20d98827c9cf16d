package dev.cairn.operator.reconciler;

import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The PodDisruptionBudgets of every region. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public final class PodDisruptionBudgetDependentResource
    extends ManagedKindDependentResource<PodDisruptionBudget> {
  public PodDisruptionBudgetDependentResource() {
    super(PodDisruptionBudget.class);
  }

  @Override
  List<PodDisruptionBudget> pick(DesiredState desired) {
    return desired.disruptionBudgets();
  }
}
