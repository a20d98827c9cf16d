package dev.cairn.query.transport.http;

import dev.cairn.store.EdgeTotal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/v1/dependencies}: the service graph of a window. */
public record DependenciesResponse(
    @Schema(description = "Window start (inclusive), rounded down to the minute") Instant start,
    @Schema(description = "Window end (exclusive), rounded up to the minute") Instant end,
    List<Edge> edges,
    @Schema(description = "true when there were more edges than the answer holds")
        boolean truncated) {

  /** One edge: calls from {@code parent} to {@code child}. */
  @Schema(name = "DependencyEdge")
  public record Edge(
      @Schema(description = "The calling service") String parent,
      @Schema(description = "The called service, or the peer a client span names") String child,
      @Schema(description = "request (client/server), messaging (producer/consumer), virtual")
          String type,
      @Schema(description = "Calls, weighted by adjusted count (unbiased under head sampling)")
          double callCount,
      @Schema(description = "Calls where the client or server span has status ERROR")
          double errorCount,
      @Schema(description = "Client spans seen, unweighted") long spanCount,
      @Schema(description = "Client-side latency (consumer span's for messaging)")
          LatencyResponse latency) {

    static Edge of(EdgeTotal edge) {
      return new Edge(
          edge.client(),
          edge.server(),
          edge.type().name().toLowerCase(Locale.ROOT),
          edge.aggregate().count(),
          edge.errors(),
          edge.aggregate().spans(),
          LatencyResponse.of(edge.aggregate()));
    }
  }
}
