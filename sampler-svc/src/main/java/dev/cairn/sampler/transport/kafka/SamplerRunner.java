package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.Backoff;
import dev.cairn.kafka.ConsumerProperties;
import dev.cairn.kafka.ProducerProperties;
import dev.cairn.kafka.SupervisedLoop;
import dev.cairn.sampler.ProbabilisticPolicy;
import dev.cairn.sampler.RecordSampler;
import dev.cairn.sampler.config.SamplerConfig;
import dev.cairn.sampler.metrics.SamplerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * Runs the {@link SamplingLoop} under a {@link SupervisedLoop} from start to shutdown: each run
 * gets fresh Kafka clients, whose own metrics (fetch lag, request rates) are bound to Micrometer
 * while it lasts.
 */
@ApplicationScoped
public class SamplerRunner {

  private static final Logger LOG = Logger.getLogger(SamplerRunner.class);

  private final SamplerConfig config;
  private final SamplerMetrics metrics;
  private final MeterRegistry registry;
  private final Tracer tracer;
  private final SupervisedLoop supervisor;
  private volatile SamplingLoop loop;

  SamplerRunner(
      SamplerConfig config, SamplerMetrics metrics, MeterRegistry registry, Tracer tracer) {
    this.config = config;
    this.metrics = metrics;
    this.registry = registry;
    this.tracer = tracer;
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
        "sampling %s -> %s at probability %s (group %s)",
        config.ingestedTopic(), config.sampledTopic(), config.probability(), config.groupId());
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
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
    KafkaProducer<byte[], byte[]> producer;
    try {
      producer =
          new KafkaProducer<>(
              ProducerProperties.reliable(
                  config.kafka().bootstrapServers(),
                  "cairn-sampler-producer",
                  config.kafka().producer().bounds()));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    // From here the loop owns both clients and closes them when it ends.
    try (KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer)) {
      consumerMetrics.bindTo(registry);
      producerMetrics.bindTo(registry);
      SamplingLoop current =
          new SamplingLoop(
              consumer,
              producer,
              new RecordSampler(
                  new ProbabilisticPolicy(config.probability()),
                  config.kafka().producer().maxRecordBytes()),
              metrics,
              config.ingestedTopic(),
              config.sampledTopic(),
              config.kafka().pollTimeout(),
              new Backoff(config.kafka().retryBackoff(), config.kafka().maxRetryBackoff()),
              tracer);
      loop = current;
      if (!supervisor.isRunning()) {
        current.stop(); // stopped while the clients were being made
      }
      current.run(progress);
    }
  }

  private Properties consumerProperties() {
    // Offsets are committed by the loop after the produced records are acknowledged.
    Properties props =
        ConsumerProperties.atLeastOnce(
            config.kafka().bootstrapServers(), config.groupId(), "cairn-sampler-consumer");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.kafka().maxPollRecords());
    return props;
  }
}
