package dev.cairn.operator.reconciler;

import static dev.cairn.operator.api.TracingClusterStatus.DEGRADED;
import static dev.cairn.operator.api.TracingClusterStatus.READY;

import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterStatus;
import dev.cairn.operator.model.ClusterModel;
import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.InvalidSpecException;
import dev.cairn.operator.status.StatusModel;
import dev.cairn.operator.topics.TopicOutcome;
import dev.cairn.operator.topics.TopicReconciler;
import dev.cairn.operator.webhook.AgentCoverage;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles a {@link TracingCluster}: computes its desired state ({@link ClusterModel}), creates
 * or grows its Kafka topics, applies the objects through one dependent resource per kind, and
 * reports what it observed as status conditions. A spec it cannot act on is reported as {@code
 * Degraded}, never retried until it changes; a failure is reported the same way and retried with
 * JOSDK's bounded backoff.
 */
@ControllerConfiguration(name = TracingClusterReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "configmaps", type = ConfigMapDependentResource.class),
      // Pods start with their configuration in place.
      @Dependent(
          name = "deployments",
          type = DeploymentDependentResource.class,
          dependsOn = "configmaps"),
      @Dependent(name = "services", type = ServiceDependentResource.class),
      @Dependent(name = "autoscalers", type = HorizontalPodAutoscalerDependentResource.class),
      @Dependent(name = "disruption-budgets", type = PodDisruptionBudgetDependentResource.class)
    })
public final class TracingClusterReconciler implements Reconciler<TracingCluster> {
  public static final String NAME = "tracingcluster";

  private static final String DESIRED_STATE = "cairn.desired-state";

  private final TopicReconciler topics;
  private final ClusterEvents events;
  private final Clock clock;
  private final Duration recheckWhileNotReady;
  private final Duration recheckWhenReady;
  private final ReconcileMetrics metrics;

  public TracingClusterReconciler(
      TopicReconciler topics,
      ClusterEvents events,
      MeterRegistry registry,
      Clock clock,
      Duration recheckWhileNotReady,
      Duration recheckWhenReady) {
    this.topics = topics;
    this.events = events;
    this.metrics = new ReconcileMetrics(registry);
    this.clock = clock;
    this.recheckWhileNotReady = recheckWhileNotReady;
    this.recheckWhenReady = recheckWhenReady;
  }

  @Override
  public UpdateControl<TracingCluster> reconcile(
      TracingCluster cluster, Context<TracingCluster> context) {
    DesiredState desired;
    try {
      desired = ClusterModel.desired(cluster);
    } catch (InvalidSpecException e) {
      // Nothing to retry: the next change of the resource reconciles it again.
      metrics.count("invalid_spec");
      return UpdateControl.patchStatus(
          withStatus(
              cluster,
              StatusModel.failed(
                  cluster, StatusModel.INVALID_SPEC, e.getMessage(), clock.instant()),
              context));
    }
    TopicOutcome topicOutcome = topics.reconcile(desired.topics());
    context.managedWorkflowAndDependentResourceContext().put(DESIRED_STATE, desired);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    Optional<AgentCoverage.Coverage> coverage = OptedInPods.coverage(context.getClient(), cluster);
    if (coverage.isPresent() && restartsMissedPods(cluster)) {
      WorkloadRestarter.restart(context.getClient(), coverage.get().missed(), clock.instant());
    }
    TracingClusterStatus status =
        StatusModel.observed(
            cluster,
            desired,
            context.getSecondaryResources(Deployment.class),
            topicOutcome,
            coverage
                .map(AgentCoverage.Coverage::status)
                .orElse(cluster.getStatus() == null ? null : cluster.getStatus().agent()),
            clock.instant());
    boolean ready =
        StatusModel.condition(status, READY).map(c -> "True".equals(c.getStatus())).orElse(false);
    metrics.count(
        ready ? "ready" : topicOutcome.failure().isPresent() ? "kafka_unavailable" : "not_ready");
    return UpdateControl.patchStatus(withStatus(cluster, status, context))
        .rescheduleAfter(ready ? recheckWhenReady : recheckWhileNotReady);
  }

  @Override
  public ErrorStatusUpdateControl<TracingCluster> updateErrorStatus(
      TracingCluster cluster, Context<TracingCluster> context, Exception e) {
    metrics.count("failed");
    String message = Objects.requireNonNullElse(rootCause(e).getMessage(), e.toString());
    return ErrorStatusUpdateControl.patchStatus(
        withStatus(
            cluster,
            StatusModel.failed(cluster, StatusModel.RECONCILE_FAILED, message, clock.instant()),
            context));
  }

  private static boolean restartsMissedPods(TracingCluster cluster) {
    var agent = cluster.getSpec().agent();
    return agent != null && Boolean.TRUE.equals(agent.restartMissedPods());
  }

  /** The desired state computed for the reconcile under way; the dependents apply it. */
  static DesiredState desiredState(Context<TracingCluster> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(DESIRED_STATE, DesiredState.class);
  }

  /** The status patch, after a Warning event if {@code Degraded} turns true or changes reason. */
  private TracingCluster withStatus(
      TracingCluster cluster, TracingClusterStatus status, Context<TracingCluster> context) {
    announceDegraded(cluster, status, context);
    TracingCluster patch = new TracingCluster();
    patch.setMetadata(cluster.getMetadata());
    patch.setSpec(cluster.getSpec());
    patch.setStatus(status);
    return patch;
  }

  private void announceDegraded(
      TracingCluster cluster, TracingClusterStatus status, Context<TracingCluster> context) {
    Optional<Condition> before = StatusModel.condition(cluster.getStatus(), DEGRADED);
    Optional<Condition> after = StatusModel.condition(status, DEGRADED);
    if (after.isPresent()
        && "True".equals(after.get().getStatus())
        && (before.isEmpty()
            || !"True".equals(before.get().getStatus())
            || !Objects.equals(before.get().getReason(), after.get().getReason()))) {
      events.warn(context.getClient(), cluster, after.get().getReason(), after.get().getMessage());
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
