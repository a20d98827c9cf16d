package dev.cairn.operator.health;

import dev.cairn.operator.config.OperatorLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the operator's informers have started and it reconciles. */
@Readiness
@ApplicationScoped
public class OperatorReadinessCheck implements HealthCheck {
  private final OperatorLifecycle lifecycle;

  OperatorReadinessCheck(OperatorLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("tracingcluster-reconciler")
        .status(lifecycle.running())
        .build();
  }
}
