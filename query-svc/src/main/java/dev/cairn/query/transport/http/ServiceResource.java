package dev.cairn.query.transport.http;

import dev.cairn.query.federation.FederatedAnswer;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.metrics.StepPoints;
import dev.cairn.query.search.Names;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.query.trace.TraceQueries;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.MetricsReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

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

  private static final String MISSING =
      "Federated regions that did not answer (comma-separated), whose names may be missing";

  private final TraceQueries queries;
  private final MetricsReader metrics;
  private final MetricsRequestParser metricsParser;

  @Inject
  ServiceResource(TraceQueries queries, MetricsReader metrics, MetricsRequestParser metricsParser) {
    this.queries = queries;
    this.metrics = metrics;
    this.metricsParser = metricsParser;
  }

  @GET
  @Operation(
      summary = "Service names seen, sorted",
      description =
          "With federation, those of every region that answered in time; the "
              + TraceResource.MISSING_REGIONS_HEADER
              + " header names the regions that did not")
  @APIResponse(
      responseCode = "200",
      description = "Service names",
      headers = @Header(name = TraceResource.MISSING_REGIONS_HEADER, description = MISSING),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = String[].class)))
  public Uni<RestResponse<List<String>>> services(
      @Parameter(description = FederationScope.DESCRIPTION) @HeaderParam(FederationScope.HEADER)
          String federation) {
    return FederationScope.of(queries, federation).services().map(ServiceResource::listed);
  }

  @GET
  @Path("/{service}/operations")
  @Operation(summary = "Span names and kinds seen for a service, sorted by name then kind")
  @APIResponse(
      responseCode = "200",
      description = "Operations; empty for an unknown service",
      headers = @Header(name = TraceResource.MISSING_REGIONS_HEADER, description = MISSING),
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
  public Uni<RestResponse<List<OperationResponse>>> operations(
      @Parameter(description = "Service name (letters, digits, space and . _ - / : @ +)")
          @PathParam("service")
          String service,
      @Parameter(description = FederationScope.DESCRIPTION) @HeaderParam(FederationScope.HEADER)
          String federation) {
    return FederationScope.of(queries, federation)
        .operations(Names.service("service", service))
        .map(found -> listed(found.map(ops -> ops.stream().map(OperationResponse::of).toList())));
  }

  /** The list, and the regions that did not answer in the header trace reads use. */
  private static <T> RestResponse<List<T>> listed(FederatedAnswer<List<T>> found) {
    RestResponse.ResponseBuilder<List<T>> response =
        RestResponse.ResponseBuilder.ok(found.answer());
    if (!found.missingRegions().isEmpty()) {
      response.header(
          TraceResource.MISSING_REGIONS_HEADER, String.join(",", found.missingRegions()));
    }
    return response.build();
  }

  @GET
  @Path("/{service}/metrics")
  @Operation(
      summary = "RED metrics of a service per step",
      description =
          "Requests, errors, rates and latency percentiles of the service's spans that started"
              + " in [start, end), per step, from span metrics computed before tail sampling and"
              + " weighted by adjusted count, so they stay right under any head-sampling rate."
              + " start and end are rounded out to whole minutes.")
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
  @Parameter(
      name = MetricsRequestParser.STEP,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description =
          "Whole minutes (1m, 5m, 1h); at most 1440 steps per window. Default: 120 steps or"
              + " fewer.")
  @Parameter(
      name = MetricsRequestParser.OPERATION,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Only spans of this name")
  @Parameter(
      name = MetricsRequestParser.SPAN_KIND,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Only spans of this kind: server, client, producer, consumer, internal")
  @APIResponse(
      responseCode = "200",
      description = "One point per step",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ServiceMetricsResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "A parameter is malformed, out of bounds or unknown",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<ServiceMetricsResponse> metrics(
      @Parameter(description = "Service name") @PathParam("service") String service,
      @Context UriInfo uriInfo) {
    MetricsQuery query = metricsParser.serviceMetrics(service, uriInfo.getQueryParameters());
    return metrics
        .serviceMetrics(query)
        .map(points -> ServiceMetricsResponse.of(query, StepPoints.fill(query, points)));
  }
}
