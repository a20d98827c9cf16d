package dev.cairn.sampler.transport.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.cairn.model.TraceId;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.sampler.Traces;
import dev.cairn.sampler.config.SamplerConfig;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: traces produced to the (per-run) ingested topic come out on the sampled
 * topic, in committed transactions, exactly when the base rate keeps them (their spans have no
 * errors and are quick), with their keys and headers; malformed records are counted and skipped.
 */
abstract class AbstractSamplerIT {

  private static final int TRACES = 60;

  @Inject SamplerConfig config;

  @Test
  void publishesExactlyTheKeptTracesWithKeysAndHeaders() throws Exception {
    ConsistentSampler reference = ConsistentSampler.withProbability(config.baseRate());
    Map<String, byte[]> sentValues = new HashMap<>();
    Set<String> expectedKeys = new HashSet<>();
    List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      byte[] value = Traces.record(Traces.normal(id, 20));
      records.add(Map.entry(id.toBytes(), value));
      sentValues.put(id.toHex(), value);
      if (reference.keeps(id, "")) {
        expectedKeys.add(id.toHex());
      }
    }
    // Malformed records in between must be skipped without stopping the stream.
    records.add(TRACES / 2, Map.entry(new byte[] {1, 2, 3}, new byte[] {4}));
    records.add(TRACES / 3, Map.entry(SpanFixtures.randomTraceId().toBytes(), new byte[] {-1, 9}));

    SampledTopicReader.produce(config.ingestedTopic(), records);
    List<ConsumerRecord<byte[], byte[]>> received =
        SampledTopicReader.read(
            config.sampledTopic(),
            sentValues.keySet(),
            expectedKeys.size(),
            Duration.ofSeconds(60),
            Duration.ofSeconds(2));

    Set<String> receivedKeys = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : received) {
      String key = TraceId.fromBytes(record.key()).toHex();
      receivedKeys.add(key);
      assertThat(header(record, WireHeaders.RETENTION)).isEqualTo("standard");
      assertThat(header(record, WireHeaders.SAMPLING_REASON)).isEqualTo("base_rate");
      checkValue(sentValues.get(key), record.value());
    }
    assertThat(received).hasSize(expectedKeys.size());
    assertThat(receivedKeys).isEqualTo(expectedKeys);

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("cairn_sampler_records_rejected_total{reason=\"invalid_key\"} 1.0"))
        .body(containsString("cairn_sampler_records_rejected_total{reason=\"invalid_value\"} 1.0"))
        .body(containsString("cairn_sampler_consumer_lag"))
        .body(containsString("cairn_sampler_traces_decided_total"))
        .body(containsString("cairn_sampler_transactions_total"));
    given().get("/q/health/ready").then().statusCode(200);
  }

  /** Compares what was sent with what the sampler published. */
  abstract void checkValue(byte[] sent, byte[] published);

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
