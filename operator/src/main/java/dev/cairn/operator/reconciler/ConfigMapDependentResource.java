package dev.cairn.operator.reconciler;

import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The ConfigMaps of every region. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public final class ConfigMapDependentResource extends ManagedKindDependentResource<ConfigMap> {
  public ConfigMapDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  List<ConfigMap> pick(DesiredState desired) {
    return desired.configMaps();
  }
}
