package dev.cairn.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/** How many pods a component runs through disruptions and load: its PDB and the gateways' HPA. */
public final class ScalingModel {
  private ScalingModel() {}

  /** The gateways' autoscaler, when the spec turns autoscaling on. */
  public static Optional<HorizontalPodAutoscaler> autoscaler(RegionPlan plan) {
    if (!plan.autoscaled()) {
      return Optional.empty();
    }
    String name = ObjectNames.component(plan.clusterName(), plan.regionName(), Component.COLLECTOR);
    return Optional.of(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(
                DeploymentModel.meta(
                    name,
                    plan.namespace(),
                    Labels.of(plan.clusterName(), plan.regionName(), Component.COLLECTOR)))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(name)
            .endScaleTargetRef()
            .withMinReplicas(plan.autoscalingMin())
            .withMaxReplicas(plan.autoscalingMax())
            .addNewMetric()
            .withType("Resource")
            .withNewResource()
            .withName("cpu")
            .withNewTarget()
            .withType("Utilization")
            .withAverageUtilization(plan.autoscalingTargetCpu())
            .endTarget()
            .endResource()
            .endMetric()
            .endSpec()
            .build());
  }

  /**
   * One pod of a component at a time may be evicted: a drain never takes a whole stage down, and a
   * one-replica component can still be drained.
   */
  public static PodDisruptionBudget disruptionBudget(RegionPlan plan, Component component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(
            DeploymentModel.meta(
                ObjectNames.component(plan.clusterName(), plan.regionName(), component),
                plan.namespace(),
                Labels.of(plan.clusterName(), plan.regionName(), component)))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(Labels.selector(plan.clusterName(), plan.regionName(), component))
        .endSelector()
        .endSpec()
        .build();
  }
}
