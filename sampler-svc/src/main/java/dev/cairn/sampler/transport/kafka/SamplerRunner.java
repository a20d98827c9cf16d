package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.Backoff;
import dev.cairn.kafka.ConsumerProperties;
import dev.cairn.kafka.ProducerProperties;
import dev.cairn.kafka.SupervisedLoop;
import dev.cairn.sampler.CompletedTraceObserver;
import dev.cairn.sampler.TailSampler;
import dev.cairn.sampler.Ticker;
import dev.cairn.sampler.config.SamplerConfig;
import dev.cairn.sampler.metrics.SamplerMetrics;
import dev.cairn.sampler.policy.ReloadingPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * Runs the {@link SamplingLoop} under a {@link SupervisedLoop} from start to shutdown: each run
 * gets fresh Kafka clients (whose own metrics are bound to Micrometer while it lasts) and a fresh
 * {@link TailSampler}, which rebuilds what it buffered by replaying from the committed offsets. The
 * policies ({@link ReloadingPolicy}) and the observers outlive the runs.
 */
@ApplicationScoped
public class SamplerRunner {

  private static final Logger LOG = Logger.getLogger(SamplerRunner.class);

  private final SamplerConfig config;
  private final SamplerMetrics metrics;
  private final MeterRegistry registry;
  private final Tracer tracer;
  private final List<CompletedTraceObserver> observers;
  private final ReloadingPolicy policy;
  private final String transactionalId;
  private final SupervisedLoop supervisor;
  private volatile SamplingLoop loop;

  SamplerRunner(
      SamplerConfig config,
      SamplerMetrics metrics,
      MeterRegistry registry,
      Tracer tracer,
      @All List<CompletedTraceObserver> observers) {
    this.config = config;
    this.metrics = metrics;
    this.registry = registry;
    this.tracer = tracer;
    this.observers = List.copyOf(observers);
    this.policy =
        new ReloadingPolicy(
            config.policyFile().map(Path::of),
            config.policySettings(),
            Ticker.SYSTEM,
            config.policyReloadInterval(),
            metrics);
    this.transactionalId =
        config.kafka().transactionalId().orElse("cairn-sampler-" + UUID.randomUUID());
    this.supervisor =
        new SupervisedLoop(
            "cairn-sampler-loop",
            this::runLoop,
            new Backoff(config.kafka().retryBackoff(), config.kafka().maxRetryBackoff()),
            cause -> metrics.loopRestarted());
  }

  void start(@Observes StartupEvent event) {
    supervisor.start();
    LOG.infof(
        "tail sampling %s -> %s (group %s, transactional id %s): decision wait %s, max trace age"
            + " %s, %d policies before base rate %s, %d observers",
        config.ingestedTopic(),
        config.sampledTopic(),
        config.groupId(),
        transactionalId,
        config.decisionWait(),
        config.maxTraceAge(),
        policy.current().size(),
        policy.current().baseRate(),
        observers.size());
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    supervisor.stop(
        () -> {
          SamplingLoop current = loop;
          if (current != null) {
            current.stop();
          }
        },
        Duration.ofSeconds(10));
  }

  /** True while the loop runs and its last poll succeeded. */
  public boolean isHealthy() {
    SamplingLoop current = loop;
    return supervisor.isUp() && current != null && current.isHealthy();
  }

  private void runLoop(SupervisedLoop.Progress progress) {
    SamplerConfig.Kafka kafka = config.kafka();
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
    KafkaConsumer<byte[], byte[]> logConsumer = null;
    KafkaProducer<byte[], byte[]> producer;
    try {
      logConsumer =
          new KafkaConsumer<>(
              ConsumerProperties.atLeastOnce(
                  kafka.bootstrapServers(), config.groupId(), "cairn-sampler-decision-log"));
      producer =
          new KafkaProducer<>(
              ProducerProperties.transactional(
                  kafka.bootstrapServers(),
                  "cairn-sampler-producer",
                  kafka.producer().bounds(),
                  transactionalId,
                  kafka.transactionTimeout()));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      if (logConsumer != null) {
        logConsumer.close(Duration.ZERO);
      }
      throw e;
    }
    // From here the loop owns the clients and closes them when it ends.
    try (KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer)) {
      consumerMetrics.bindTo(registry);
      producerMetrics.bindTo(registry);
      TailSampler sampler =
          new TailSampler(
              config.ingestedTopic(),
              policy,
              observers,
              config.assemblyLimits(),
              config.decisionCacheSize(),
              config.lateSpanWindow(),
              kafka.producer().maxRecordBytes(),
              Ticker.SYSTEM,
              metrics);
      SamplingLoop current =
          new SamplingLoop(
              consumer,
              producer,
              new DecisionLogReader(
                  logConsumer, config.decisionLogTopic(), kafka.decisionLogReadTimeout()),
              sampler,
              policy::refresh,
              observers,
              metrics,
              config.ingestedTopic(),
              config.sampledTopic(),
              kafka.pollTimeout(),
              kafka.commitInterval(),
              Ticker.SYSTEM,
              tracer);
      loop = current;
      if (!supervisor.isRunning()) {
        current.stop(); // stopped while the clients were being made
      }
      current.run(progress);
    }
  }

  private Properties consumerProperties() {
    // Offsets are committed by the loop, in the transaction of what they produced.
    Properties props =
        ConsumerProperties.atLeastOnce(
            config.kafka().bootstrapServers(), config.groupId(), "cairn-sampler-consumer");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.kafka().maxPollRecords());
    // A rebalance moves only the partitions that change owner: the others keep their buffers.
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    return props;
  }
}
