package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.ConsumerProperties;
import dev.cairn.sampler.ProbabilisticPolicy;
import dev.cairn.sampler.RecordSampler;
import dev.cairn.sampler.config.SamplerConfig;
import dev.cairn.sampler.metrics.SamplerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Starts the {@link SamplingLoop} with its Kafka clients when the application starts and stops it
 * on shutdown; binds the clients' own metrics (fetch lag, request rates) to Micrometer.
 */
@ApplicationScoped
public class SamplerRunner {

  private static final Logger LOG = Logger.getLogger(SamplerRunner.class);

  private final SamplerConfig config;
  private final SamplerMetrics metrics;
  private final MeterRegistry registry;
  private SamplingLoop loop;
  private Thread thread;
  private KafkaClientMetrics consumerMetrics;
  private KafkaClientMetrics producerMetrics;

  SamplerRunner(SamplerConfig config, SamplerMetrics metrics, MeterRegistry registry) {
    this.config = config;
    this.metrics = metrics;
    this.registry = registry;
  }

  void start(@Observes StartupEvent event) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
    loop =
        new SamplingLoop(
            consumer,
            producer,
            new RecordSampler(new ProbabilisticPolicy(config.probability())),
            metrics,
            config.ingestedTopic(),
            config.sampledTopic(),
            config.kafka().pollTimeout(),
            config.kafka().retryBackoff());
    thread = new Thread(loop, "cairn-sampler-loop");
    thread.start();
    LOG.infof(
        "sampling %s -> %s at probability %s (group %s)",
        config.ingestedTopic(), config.sampledTopic(), config.probability(), config.groupId());
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop == null) {
      return;
    }
    loop.stop();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumerMetrics.close();
    producerMetrics.close();
  }

  /** True while the loop thread runs and its last poll succeeded. */
  public boolean isHealthy() {
    return loop != null && thread.isAlive() && loop.isHealthy();
  }

  private Properties consumerProperties() {
    // Offsets are committed by the loop after the produced records are acknowledged.
    Properties props =
        ConsumerProperties.atLeastOnce(
            config.kafka().bootstrapServers(), config.groupId(), "cairn-sampler-consumer");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.kafka().maxPollRecords());
    return props;
  }

  private Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "cairn-sampler-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }
}
