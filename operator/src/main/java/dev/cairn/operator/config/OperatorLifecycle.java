package dev.cairn.operator.config;

import dev.cairn.operator.reconciler.ClusterEvents;
import dev.cairn.operator.reconciler.TracingClusterReconciler;
import dev.cairn.operator.topics.TopicReconciler;
import dev.cairn.operator.transport.kafka.KafkaTopicAdmin;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;

/**
 * Starts the Java Operator SDK on the Kubernetes client Quarkus configures (in-cluster service
 * account, or kubeconfig), and stops it with the application.
 */
@ApplicationScoped
public class OperatorLifecycle {
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final MeterRegistry registry;
  private Operator operator;
  private KafkaTopicAdmin kafka;

  OperatorLifecycle(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
    this.client = client;
    this.config = config;
    this.registry = registry;
  }

  void start(@Observes StartupEvent event) {
    Clock clock = Clock.systemUTC();
    kafka = new KafkaTopicAdmin(config.kafkaTimeout());
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply()));
    TracingClusterReconciler reconciler =
        new TracingClusterReconciler(
            new TopicReconciler(kafka),
            new ClusterEvents(clock),
            registry,
            clock,
            config.recheckWhileNotReady(),
            config.recheckWhenReady());
    operator.register(
        reconciler, o -> config.namespaces().ifPresent(ns -> o.settingNamespaces(ns)));
    operator.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (operator != null) {
      operator.stop();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Whether the operator's informers are running (readiness). */
  public boolean running() {
    return operator != null && operator.getRuntimeInfo().isStarted();
  }
}
