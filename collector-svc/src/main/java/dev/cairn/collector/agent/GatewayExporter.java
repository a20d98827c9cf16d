package dev.cairn.collector.agent;

import java.time.Duration;
import java.util.Set;

/**
 * The port through which the agent exports to a gateway (the OTLP/gRPC adapter in production, a
 * lambda in unit tests).
 *
 * <p>Contract: sends the batch's requests as one {@code ExportTraceServiceRequest} and returns the
 * gateway's answer within about {@code timeout}; never throws (a failure of any kind is a {@link
 * ExportResult.Failed} with the gRPC code it amounts to).
 */
@FunctionalInterface
public interface GatewayExporter extends AutoCloseable {

  ExportResult export(Gateway gateway, ExportBatch batch, Duration timeout);

  /** Forgets what is kept for gateways no longer among {@code members} (e.g. their connections). */
  default void retainOnly(Set<Gateway> members) {}

  /** Releases connections; called by the {@link Forwarder} once its senders have stopped. */
  @Override
  default void close() {}
}
