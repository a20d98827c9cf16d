package dev.cairn.collector.agent;

/**
 * One gateway replica the agent exports to: a resolved address and its OTLP/gRPC port.
 *
 * @param host an IP address (or a host name, when resolution is left to the channel)
 */
public record Gateway(String host, int port) {

  public Gateway {
    if (host.isBlank() || port <= 0 || port > 65_535) {
      throw new IllegalArgumentException("not a gateway address: " + host + ":" + port);
    }
  }

  /** {@code host:port}, IPv6 addresses in brackets: the {@code gateway} tag of the metrics. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
