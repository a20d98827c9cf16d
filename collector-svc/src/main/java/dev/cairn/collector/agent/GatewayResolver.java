package dev.cairn.collector.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code cairn.collector.agent.gateways} into gateways: each entry is {@code host:port}
 * ({@code [v6-address]:port} for IPv6), and a host name stands for every address it resolves to
 * (e.g. a headless Kubernetes service, one address per gateway pod). Resolved again on every {@link
 * #resolve()}; when a name does not resolve, its last known addresses are kept, so a DNS hiccup
 * does not empty the pool. Thread-safe.
 */
public final class GatewayResolver {

  /** Name resolution: {@link InetAddress#getAllByName} in production. */
  @FunctionalInterface
  public interface Lookup {
    List<String> addresses(String host) throws UnknownHostException;
  }

  private record Entry(String host, int port) {}

  private final List<Entry> entries;
  private final Lookup lookup;
  private final Map<Entry, List<Gateway>> lastKnown = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when an entry is not {@code host:port}
   */
  public GatewayResolver(List<String> configured, Lookup lookup) {
    if (configured.isEmpty()) {
      throw new IllegalArgumentException("no gateway configured (cairn.collector.agent.gateways)");
    }
    List<Entry> parsed = new ArrayList<>();
    for (String address : configured) {
      parsed.add(parse(address.strip()));
    }
    this.entries = List.copyOf(parsed);
    this.lookup = lookup;
  }

  /** The system resolver. */
  public static Lookup systemLookup() {
    return host -> {
      List<String> addresses = new ArrayList<>();
      for (InetAddress address : InetAddress.getAllByName(host)) {
        addresses.add(address.getHostAddress());
      }
      return addresses;
    };
  }

  /** Every gateway the entries stand for now. */
  public synchronized Set<Gateway> resolve() {
    Set<Gateway> all = new LinkedHashSet<>();
    for (Entry entry : entries) {
      try {
        List<Gateway> resolved = new ArrayList<>();
        for (String address : lookup.addresses(entry.host())) {
          resolved.add(new Gateway(address, entry.port()));
        }
        if (!resolved.isEmpty()) {
          lastKnown.put(entry, resolved);
        }
      } catch (UnknownHostException | RuntimeException unresolved) {
        // keep what this name stood for last time
      }
      all.addAll(lastKnown.getOrDefault(entry, List.of()));
    }
    return all;
  }

  private static Entry parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("gateway must be host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("an IPv6 gateway goes in brackets: '" + address + "'");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gateway port is not a number: '" + address + "'", e);
    }
    if (host.isBlank() || port <= 0 || port > 65_535) {
      throw new IllegalArgumentException("gateway must be host:port, got '" + address + "'");
    }
    return new Entry(host, port);
  }
}
