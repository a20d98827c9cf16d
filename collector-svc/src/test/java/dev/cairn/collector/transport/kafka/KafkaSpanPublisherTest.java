package dev.cairn.collector.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TracePart;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The publisher's failure classification, on a {@link MockProducer} that fails on demand. */
class KafkaSpanPublisherTest {

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final KafkaSpanPublisher publisher = new KafkaSpanPublisher(producer, "spans");

  static List<RuntimeException> finalFailures() {
    return List.of(
        new RecordTooLargeException("The message is 1518646 bytes when serialized"),
        new SerializationException("cannot serialize"),
        new InvalidTopicException("bad topic"),
        new TopicAuthorizationException("not allowed"));
  }

  static List<RuntimeException> passingFailures() {
    return List.of(
        new TimeoutException("Expiring 1 record(s)"),
        new NotEnoughReplicasException("isr"),
        new OutOfOrderSequenceException("sequence reset"),
        new KafkaException("Producer is closed forcefully."),
        new IllegalStateException("Cannot perform operation after producer has been closed"));
  }

  @ParameterizedTest
  @MethodSource("finalFailures")
  void aFailureOfTheRecordsThemselvesIsNotRetryable(RuntimeException error) {
    assertThat(failureOfOnePart(error).retryable()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("passingFailures")
  void aFailureThatMayPassIsRetryable(RuntimeException error) {
    assertThat(failureOfOnePart(error).retryable()).isTrue();
  }

  @Test
  void everyPartOfASplitTraceIsSentWithTheTraceKeyInOrder() {
    TraceId trace = SpanFixtures.randomTraceId();
    List<TracePart> parts =
        List.of(
            new TracePart(trace, TracesData.getDefaultInstance(), 1),
            new TracePart(trace, TracesData.getDefaultInstance(), 2),
            new TracePart(trace, TracesData.getDefaultInstance(), 3));

    CompletableFuture<Void> done = publisher.publish(parts).toCompletableFuture();
    assertThat(producer.history()).hasSize(3);
    producer.completeNext();
    producer.completeNext();
    assertThat(done).isNotDone();
    producer.completeNext();

    assertThat(done).isCompleted();
    assertThat(producer.history())
        .allSatisfy(record -> assertThat(record.key()).isEqualTo(trace.toBytes()));
  }

  private PublishFailedException failureOfOnePart(RuntimeException error) {
    CompletableFuture<Void> done =
        publisher
            .publish(
                List.of(
                    new TracePart(
                        SpanFixtures.randomTraceId(), TracesData.getDefaultInstance(), 1)))
            .toCompletableFuture();
    producer.errorNext(error);
    assertThatThrownBy(done::join).hasCauseInstanceOf(PublishFailedException.class);
    return (PublishFailedException) done.handle((ok, e) -> e).join();
  }
}
