package dev.cairn.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks a Kafka cluster for its nodes, within a bounded time: the Kafka half of every service's
 * readiness check. Owns one {@link Admin} client, reused across probes; thread-safe.
 *
 * <p>A probe never throws: an unreachable cluster, a timeout or an interrupt come back as a {@link
 * Result} with the reason, which a readiness check reports as its "down" data.
 */
public final class KafkaClusterProbe implements AutoCloseable {

  /**
   * Extra time the caller waits beyond the request's own deadline, so the request's timeout (with
   * its clearer message) fires first.
   */
  private static final long GRACE_MS = 500;

  private final Admin admin;

  private KafkaClusterProbe(Admin admin) {
    this.admin = admin;
  }

  /**
   * A probe of the cluster at {@code bootstrapServers}, its admin client named {@code clientId}.
   */
  public static KafkaClusterProbe connect(String bootstrapServers, String clientId) {
    return connect(bootstrapServers, clientId, Map.of());
  }

  /**
   * Like {@link #connect(String, String)}, with further admin client settings ({@link
   * AdminClientConfig} keys) that take precedence.
   */
  public static KafkaClusterProbe connect(
      String bootstrapServers, String clientId, Map<String, Object> adminOverrides) {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(adminOverrides);
    return new KafkaClusterProbe(Admin.create(props));
  }

  /**
   * Describes the cluster, waiting at most about {@code timeout}; returns its node count, or why it
   * did not answer. An interrupt ends the wait and keeps the thread's interrupt flag set.
   */
  public Result probe(Duration timeout) {
    long timeoutMs = timeout.toMillis();
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
              .nodes()
              .get(timeoutMs + GRACE_MS, TimeUnit.MILLISECONDS)
              .size();
      return Result.up(nodes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.down("interrupted");
    } catch (Exception e) {
      return Result.down(String.valueOf(e.getMessage()));
    }
  }

  /** Closes the admin client. */
  @Override
  public void close() {
    admin.close();
  }

  /**
   * What one probe found: the cluster's node count when it answered ({@code failure} is null), else
   * why not ({@code nodes} is 0).
   */
  public record Result(int nodes, String failure) {

    static Result up(int nodes) {
      return new Result(nodes, null);
    }

    static Result down(String failure) {
      return new Result(0, failure);
    }

    /** True when the cluster answered in time. */
    public boolean isUp() {
      return failure == null;
    }
  }
}
