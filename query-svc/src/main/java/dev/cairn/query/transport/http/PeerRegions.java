package dev.cairn.query.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.federation.PeerRegion;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The configured peer regions, each read over HTTP by a {@link PeerQueryClient} of its own. */
@Singleton
public class PeerRegions {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Vertx vertx;
  private final ObjectMapper json;
  private final List<HttpClient> clients = new ArrayList<>();

  PeerRegions(Vertx vertx, ObjectMapper json) {
    this.vertx = vertx;
    this.json = json;
  }

  /**
   * The peers in name order, validated: names like Kubernetes labels, none named as this region,
   * absolute http(s) URLs.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public synchronized List<PeerRegion> regions(String self, QueryConfig.Federation config) {
    if (config.maxConcurrentCalls() < 1) {
      throw new IllegalArgumentException(
          "cairn.query.federation.max-concurrent-calls must be at least 1");
    }
    List<PeerRegion> peers = new ArrayList<>();
    for (Map.Entry<String, QueryConfig.Federation.Peer> peer :
        new TreeMap<>(config.peers()).entrySet()) {
      String name = peer.getKey();
      URI url = peer.getValue().url();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "cairn.query.federation.peers."
                + name
                + ": a region name is lowercase letters, digits and '-' (at most 63)");
      }
      if (name.equals(self)) {
        throw new IllegalArgumentException(
            "cairn.query.federation.peers." + name + ": that is this region (cairn.query.region)");
      }
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "cairn.query.federation.peers." + name + ".url must be an http(s) URL, got " + url);
      }
      HttpClient http =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                  .setKeepAlive(true),
              new PoolOptions()
                  .setHttp1MaxSize(config.maxConcurrentCalls())
                  .setMaxWaitQueueSize(config.maxConcurrentCalls()));
      clients.add(http);
      peers.add(new PeerRegion(name, new PeerQueryClient(name, url, http, json, config.timeout())));
    }
    return peers;
  }

  @PreDestroy
  void close() {
    clients.forEach(HttpClient::closeAndForget);
  }
}
