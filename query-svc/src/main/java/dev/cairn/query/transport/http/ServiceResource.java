package dev.cairn.query.transport.http;

import dev.cairn.query.search.Names;
import dev.cairn.store.TraceReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The services and operations the store has seen, for search forms and autocompletion. */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "services")
@APIResponse(
    responseCode = "503",
    description = "The trace store cannot be reached; retry after Retry-After seconds",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ServiceResource {

  private final TraceReader reader;

  @Inject
  ServiceResource(TraceReader reader) {
    this.reader = reader;
  }

  @GET
  @Operation(summary = "Service names seen, sorted")
  public Uni<List<String>> services() {
    return reader.services();
  }

  @GET
  @Path("/{service}/operations")
  @Operation(summary = "Span names and kinds seen for a service, sorted by name then kind")
  @APIResponse(
      responseCode = "200",
      description = "Operations; empty for an unknown service",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = OperationResponse[].class)))
  @APIResponse(
      responseCode = "400",
      description = "Malformed service name",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<List<OperationResponse>> operations(
      @Parameter(description = "Service name (letters, digits, space and . _ - / : @ +)")
          @PathParam("service")
          String service) {
    return reader
        .operations(Names.service("service", service))
        .map(operations -> operations.stream().map(OperationResponse::of).toList());
  }
}
