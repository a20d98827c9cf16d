package dev.cairn.operator.reconciler;

import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The HorizontalPodAutoscalers of every region. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public final class HorizontalPodAutoscalerDependentResource
    extends ManagedKindDependentResource<HorizontalPodAutoscaler> {
  public HorizontalPodAutoscalerDependentResource() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  List<HorizontalPodAutoscaler> pick(DesiredState desired) {
    return desired.autoscalers();
  }
}
