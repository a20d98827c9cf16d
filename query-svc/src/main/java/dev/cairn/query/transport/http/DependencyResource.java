package dev.cairn.query.transport.http;

import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.store.MetricsReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The service graph: calls between services, from span metrics. */
@Path("/api/v1/dependencies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class DependencyResource {

  private final MetricsReader reader;
  private final MetricsRequestParser parser;
  private final int maxEdges;

  @Inject
  DependencyResource(MetricsReader reader, MetricsRequestParser parser, QueryConfig config) {
    this.reader = reader;
    this.parser = parser;
    this.maxEdges = config.metrics().maxEdges();
  }

  @GET
  @Operation(
      summary = "Service dependencies",
      description =
          "Edges between services with calls that started in [start, end): client to server"
              + " spans, producer to consumer spans, and client spans to the peer they name"
              + " (peer.service, else server.address) when the peer sent no span. Counts are"
              + " weighted by adjusted count, so they stay right under head sampling.")
  @Parameter(
      name = QueryParameters.START,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "RFC 3339 or unix nanoseconds; default end minus one hour")
  @Parameter(
      name = QueryParameters.END,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "RFC 3339 or unix nanoseconds; default now. At most 30 days after start.")
  @APIResponse(
      responseCode = "200",
      description = "The edges, sorted by parent, child and type",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DependenciesResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "A parameter is malformed, out of bounds or unknown",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<DependenciesResponse> dependencies(@Context UriInfo uriInfo) {
    QueryParameters.Window window = parser.dependencies(uriInfo.getQueryParameters());
    return reader
        .dependencies(window.start(), window.end(), maxEdges + 1)
        .map(
            edges ->
                new DependenciesResponse(
                    window.start(),
                    window.end(),
                    edges.stream().limit(maxEdges).map(DependenciesResponse.Edge::of).toList(),
                    edges.size() > maxEdges));
  }
}
