package dev.cairn.query.transport.http;

import dev.cairn.model.TraceId;
import dev.cairn.query.TraceNotFoundException;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.query.search.TraceIdParser;
import dev.cairn.query.transport.http.otlp.TraceDocument;
import dev.cairn.query.transport.http.otlp.TraceDocumentMapper;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

/** Trace by id and trace search. Parameters are parsed here and passed to the store as values. */
@Path("/api/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "traces")
@APIResponse(
    responseCode = "503",
    description = "The trace store cannot be reached; retry after Retry-After seconds",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TraceResource {

  private final TraceReader reader;
  private final SearchRequestParser searchParser;

  @Inject
  TraceResource(TraceReader reader, SearchRequestParser searchParser) {
    this.reader = reader;
    this.searchParser = searchParser;
  }

  @GET
  @Path("/{traceId}")
  @Operation(
      summary = "All spans of a trace",
      description =
          "An OTLP JSON TracesData document: spans grouped by resource and instrumentation scope,"
              + " with attributes, events, links and status, as they were received.")
  @APIResponse(
      responseCode = "200",
      description = "The trace",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TraceDocument.class)))
  @APIResponse(
      responseCode = "400",
      description = "Malformed trace id",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "No span of the trace is stored",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<TraceDocument> trace(
      @Parameter(
              description = "32 hex digits, not all zero",
              example = "4bf92f3577b34da6a3ce929d0e0e4736")
          @PathParam("traceId")
          String traceId) {
    TraceId id = TraceIdParser.parse("traceId", traceId);
    return reader
        .findTrace(id)
        .map(
            spans -> {
              if (spans.isEmpty()) {
                throw new TraceNotFoundException(id);
              }
              return TraceDocumentMapper.toDocument(spans);
            });
  }

  @GET
  @Operation(
      summary = "Search traces",
      description =
          "Traces with a span matching service, operation, every tag and the duration bounds"
              + " together, starting in [start, end), newest first. Unknown parameters, and"
              + " single-valued parameters given twice, are refused with 400.")
  @Parameter(
      name = SearchRequestParser.SERVICE,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Service name (letters, digits, space and . _ - / : @ +; at most 256)")
  @Parameter(
      name = SearchRequestParser.OPERATION,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Span name (no control characters; at most 512)")
  @Parameter(
      name = SearchRequestParser.TAG,
      in = ParameterIn.QUERY,
      description =
          "Span attribute filter key:value, compared as text; repeatable (at most 16), ANDed."
              + " The key ends at the first colon.",
      schema = @Schema(type = SchemaType.ARRAY, implementation = String.class),
      example = "http.response.status_code:500")
  @Parameter(
      name = SearchRequestParser.MIN_DURATION,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description =
          "Minimum span duration, Go duration syntax: numbers with units ns, us, ms, s, m, h"
              + " (150ms, 1.5s, 1m30s). Unitless numbers other than 0 are refused.",
      example = "150ms")
  @Parameter(
      name = SearchRequestParser.MAX_DURATION,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Maximum span duration, same syntax as minDuration",
      example = "2s")
  @Parameter(
      name = SearchRequestParser.ERROR,
      in = ParameterIn.QUERY,
      description = "true: only traces with at least one span with status ERROR",
      schema = @Schema(type = SchemaType.BOOLEAN))
  @Parameter(
      name = SearchRequestParser.START,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description =
          "Earliest trace start (inclusive): RFC 3339 with offset (2026-11-25T18:00:00Z) or"
              + " unix nanoseconds. Default: end minus one hour.")
  @Parameter(
      name = SearchRequestParser.END,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "Latest trace start (exclusive), same formats as start. Default: now.")
  @Parameter(
      name = SearchRequestParser.LIMIT,
      in = ParameterIn.QUERY,
      description = "Page size, 1 to 1000; default 20",
      schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
  @Parameter(
      name = SearchRequestParser.CURSOR,
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = "nextCursor of the previous page; send the same filters with it")
  @APIResponse(
      responseCode = "200",
      description = "One page of results",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SearchResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "A parameter is malformed, out of bounds or unknown",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<SearchResponse> search(@Context UriInfo uriInfo) {
    TraceQuery query = searchParser.parse(uriInfo.getQueryParameters());
    return reader.search(query).map(SearchResponse::of);
  }
}
