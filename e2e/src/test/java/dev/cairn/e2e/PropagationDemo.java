package dev.cairn.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Two services with no tracing code at all, for {@link JavaAgentPropagationE2E}: the OpenTelemetry
 * Java agent, set up by the environment the operator's webhook gives a pod, traces them. Each
 * prints the W3C {@code traceparent} it received, so that the test knows which trace to look for:
 *
 * <ul>
 *   <li>{@code b <port> <topic> <bootstrap>}: serves {@code GET /stock} (JDK HTTP server) and
 *       consumes the topic; prints {@code READY}, then {@code HTTP <traceparent>} per request and
 *       {@code KAFKA <traceparent>} per record; runs until stopped;
 *   <li>{@code a <b url> <topic> <bootstrap>}: calls B once (JDK HttpClient), publishes one record
 *       (kafka-clients), and exits.
 * </ul>
 */
public final class PropagationDemo {

  private PropagationDemo() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("b")) {
      serve(Integer.parseInt(args[1]), args[2], args[3]);
    } else {
      call(URI.create(args[1]), args[2], args[3]);
    }
  }

  private static void serve(int port, String topic, String bootstrap) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext(
        "/stock",
        exchange -> {
          print("HTTP " + exchange.getRequestHeaders().getFirst("traceparent"));
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "propagation-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  consumer.wakeup();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    consumer.subscribe(List.of(topic));
    boolean ready = false;
    try {
      while (true) {
        // Iterating the records is what the agent traces as the consumer's processing.
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          Header traceparent = record.headers().lastHeader("traceparent");
          print(
              "KAFKA "
                  + (traceparent == null
                      ? null
                      : new String(traceparent.value(), StandardCharsets.UTF_8)));
        }
        if (!ready && !consumer.assignment().isEmpty()) {
          ready = true;
          print("READY");
        }
      }
    } catch (WakeupException stopping) {
      // shutting down
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  private static void call(URI backend, String topic, String bootstrap) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(backend.resolve("/stock"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("B answered " + response.statusCode());
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      producer.send(new ProducerRecord<>(topic, "order-1", "reserved")).get();
    }
    print("DONE");
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
