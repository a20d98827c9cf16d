package dev.cairn.query.transport.http;

import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.query.TraceNotFoundException;
import dev.cairn.query.federation.FederatedAnswer;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.query.search.TraceIdParser;
import dev.cairn.query.trace.TraceQueries;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceSpans;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.ExternalDocumentation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Trace by id and trace search. Parameters are parsed here and passed to the store as values. */
@Path("/api/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "traces")
@APIResponse(
    responseCode = "503",
    description =
        "The trace store cannot be reached, or the query ran longer than the statement timeout"
            + " and was cancelled; retry after Retry-After seconds",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TraceResource {

  /** "true" when the trace has more spans than the answer holds (the earliest were kept). */
  static final String TRUNCATED_HEADER = "Cairn-Trace-Truncated";

  /** Spans in the answer. */
  static final String RETURNED_HEADER = "Cairn-Trace-Spans-Returned";

  /** Spans the trace's summary counts (search's {@code spanCount}). */
  static final String STORED_HEADER = "Cairn-Trace-Span-Count";

  /** Stored spans that reached the sampler after it had decided the trace. */
  static final String LATE_HEADER = "Cairn-Trace-Late-Spans";

  /** Federated regions that did not answer, comma-separated; absent when every region did. */
  static final String MISSING_REGIONS_HEADER = "Cairn-Missing-Regions";

  private final TraceQueries queries;
  private final SearchRequestParser searchParser;

  @Inject
  TraceResource(TraceQueries queries, SearchRequestParser searchParser) {
    this.queries = queries;
    this.searchParser = searchParser;
  }

  @GET
  @Path("/{traceId}")
  @Operation(
      summary = "All spans of a trace",
      description =
          "An OTLP JSON TracesData document: spans grouped by resource and instrumentation scope,"
              + " with attributes, events, links and status, as they were received. At most"
              + " cairn.query.trace.max-spans spans (default 50,000): a larger trace is answered"
              + " with its earliest spans by start time, and the headers "
              + TRUNCATED_HEADER
              + ", "
              + RETURNED_HEADER
              + " and "
              + STORED_HEADER
              + " say so; the body stays a plain TracesData document.")
  @APIResponse(
      responseCode = "200",
      description = "The trace, or its earliest spans when it is truncated",
      headers = {
        @Header(
            name = TRUNCATED_HEADER,
            description =
                "true when the trace has more spans than this answer holds; false otherwise",
            schema = @Schema(type = SchemaType.BOOLEAN)),
        @Header(
            name = RETURNED_HEADER,
            description = "Spans in this answer",
            schema = @Schema(type = SchemaType.INTEGER)),
        @Header(
            name = STORED_HEADER,
            description = "Spans of the trace in the store (the spanCount that search reports)",
            schema = @Schema(type = SchemaType.INTEGER))
      },
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema =
                  @Schema(
                      name = "TracesData",
                      type = SchemaType.OBJECT,
                      description =
                          "OTLP JSON TracesData (opentelemetry/proto/trace/v1/trace.proto):"
                              + " lowerCamelCase names, trace and span ids as lowercase hex,"
                              + " enums as integers, 64-bit integers as decimal strings, bytes"
                              + " as base64, fields with default values left out",
                      externalDocs =
                          @ExternalDocumentation(
                              description = "OTLP/JSON encoding",
                              url =
                                  "https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding"),
                      properties =
                          @SchemaProperty(
                              name = "resourceSpans",
                              type = SchemaType.ARRAY,
                              description =
                                  "Spans grouped by resource, then by instrumentation scope"))))
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
  public Uni<Response> trace(
      @Parameter(
              description = "32 hex digits, not all zero",
              example = "4bf92f3577b34da6a3ce929d0e0e4736")
          @PathParam("traceId")
          String traceId,
      @Parameter(description = FederationScope.DESCRIPTION) @HeaderParam(FederationScope.HEADER)
          String federation) {
    TraceId id = TraceIdParser.parse("traceId", traceId);
    // The reader emits a found trace on a worker thread, so printing it here stays off the event
    // loop (TraceApiIT checks the thread).
    return FederationScope.of(queries, federation).spans(id).map(found -> answer(id, found));
  }

  private static Response answer(TraceId id, FederatedAnswer<TraceSpans> answer) {
    TraceSpans found = answer.answer();
    if (found.isEmpty()) {
      throw new TraceNotFoundException(id, answer.missingRegions());
    }
    byte[] body = OtlpJson.printUtf8(OtlpSpanMapper.toTracesData(found.spans()));
    Response.ResponseBuilder response =
        Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
            .header(TRUNCATED_HEADER, Boolean.toString(found.truncated()))
            .header(RETURNED_HEADER, found.spans().size())
            .header(STORED_HEADER, found.storedSpanCount())
            .header(LATE_HEADER, found.lateSpanCount());
    if (!answer.missingRegions().isEmpty()) {
      response.header(MISSING_REGIONS_HEADER, String.join(",", answer.missingRegions()));
    }
    return response.build();
  }

  @GET
  @Path("/{traceId}/view")
  @Operation(
      summary = "A trace analysed for reading",
      description =
          "The spans of a trace as a tree, with the stored timestamps and clock-skew-adjusted ones"
              + " (a child timed by another host's clock that starts before its parent or ends"
              + " after it is shifted into the parent, latency split evenly, at most"
              + " cairn.query.clock-skew.max-adjustment; every span says by how much and why),"
              + " the critical path (the chain of spans that determined the end-to-end latency),"
              + " and completeness: whether the root was found, which parents are missing, how"
              + " many spans arrived after the sampling decision. Stored data is never changed."
              + " The same cap as the OTLP answer applies (truncated says so).")
  @APIResponse(
      responseCode = "200",
      description = "The analysed trace",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TraceViewResponse.class)))
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
  public Uni<TraceViewResponse> view(
      @Parameter(
              description = "32 hex digits, not all zero",
              example = "4bf92f3577b34da6a3ce929d0e0e4736")
          @PathParam("traceId")
          String traceId,
      @Parameter(description = "true: no clock-skew adjustment (adjusted times equal stored ones)")
          @QueryParam("raw")
          @DefaultValue("false")
          boolean raw,
      @Parameter(description = FederationScope.DESCRIPTION) @HeaderParam(FederationScope.HEADER)
          String federation) {
    TraceId id = TraceIdParser.parse("traceId", traceId);
    // Analysed on the reader's worker thread, like the OTLP answer is printed.
    return FederationScope.of(queries, federation)
        .trace(id, !raw)
        .map(
            found ->
                TraceViewResponse.of(
                    found
                        .answer()
                        .orElseThrow(
                            () -> new TraceNotFoundException(id, found.missingRegions()))));
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
  public Uni<SearchResponse> search(
      @Context UriInfo uriInfo,
      @Parameter(description = FederationScope.DESCRIPTION) @HeaderParam(FederationScope.HEADER)
          String federation) {
    TraceQuery query = searchParser.parse(uriInfo.getQueryParameters());
    return FederationScope.of(queries, federation).search(query).map(SearchResponse::of);
  }
}
