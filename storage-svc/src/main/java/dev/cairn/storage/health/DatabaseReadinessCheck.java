package dev.cairn.storage.health;

import dev.cairn.storage.StoreStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Down until the schema is migrated, and while any writer lane fails to write its batch. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  private final StoreStatus status;

  DatabaseReadinessCheck(StoreStatus status) {
    this.status = status;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database").status(status.isHealthy());
    if (status.lastFailure() != null) {
      response.withData("reason", status.lastFailure());
    }
    return response.build();
  }
}
