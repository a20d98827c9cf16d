package dev.cairn.query.transport.jaeger;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.query.TraceNotFoundException;
import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.trace.ClockSkew;
import dev.cairn.query.trace.SpanView;
import dev.cairn.query.trace.TraceQueries;
import dev.cairn.query.trace.TraceView;
import dev.cairn.query.transport.http.Problem;
import dev.cairn.query.transport.http.ProblemExceptionMapper;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsReader;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Jaeger's query API (the internal HTTP JSON API its UI and Grafana's Jaeger data source call), so
 * that both work pointed at {@code http://<query>:16686/jaeger}. Answers carry Jaeger's envelope
 * ({@code data}, {@code total}, {@code limit}, {@code offset}, {@code errors}) and its UI model
 * ({@link JaegerTraceMapper}); failures are Jaeger's {@code errors: [{code, msg}]} with the status
 * Cairn's problem mapping gives them.
 */
@Path("/jaeger/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jaeger")
public class JaegerResource {

  static final String TRACE_NOT_FOUND = "trace not found";

  private final TraceQueries queries;
  private final MetricsReader metrics;
  private final JaegerRequestParser parser;
  private final ProblemExceptionMapper problems = new ProblemExceptionMapper();
  private final int maxSpans;
  private final int searchMaxSpans;
  private final int maxEdges;

  @Inject
  JaegerResource(
      TraceQueries queries, MetricsReader metrics, JaegerRequestParser parser, QueryConfig config) {
    if (config.jaeger().searchMaxSpans() < 1) {
      throw new IllegalArgumentException("cairn.query.jaeger.search-max-spans must be at least 1");
    }
    this.queries = queries;
    this.metrics = metrics;
    this.parser = parser;
    this.maxSpans = config.trace().maxSpans();
    this.searchMaxSpans = config.jaeger().searchMaxSpans();
    this.maxEdges = config.metrics().maxEdges();
  }

  @GET
  @Path("/services")
  @Operation(summary = "Jaeger: service names seen, sorted")
  public Uni<JaegerModel.Response<List<String>>> services(@Context UriInfo uriInfo) {
    parser.catalog(uriInfo.getQueryParameters());
    return queries
        .services()
        .map(
            found ->
                JaegerModel.Response.counted(
                    found.answer(), regionErrors(found.missingRegions(), List.of())));
  }

  @GET
  @Path("/services/{service}/operations")
  @Operation(summary = "Jaeger: span names of a service, sorted, each once")
  public Uni<JaegerModel.Response<List<String>>> serviceOperations(
      @PathParam("service") String service, @Context UriInfo uriInfo) {
    parser.catalog(uriInfo.getQueryParameters());
    String name =
        parser.operations(Map.of(JaegerRequestParser.SERVICE, List.of(service))).service();
    return queries
        .operations(name)
        .map(
            found ->
                JaegerModel.Response.counted(
                    found.answer().stream().map(o -> o.name()).distinct().toList(),
                    regionErrors(found.missingRegions(), List.of())));
  }

  @GET
  @Path("/operations")
  @Operation(summary = "Jaeger: operations of a service with their span kind")
  public Uni<JaegerModel.Response<List<JaegerModel.Operation>>> operations(
      @Context UriInfo uriInfo) {
    JaegerRequestParser.OperationsRequest request = parser.operations(uriInfo.getQueryParameters());
    return queries
        .operations(request.service())
        .map(
            found ->
                JaegerModel.Response.counted(
                    found.answer().stream()
                        .filter(o -> request.kind().map(k -> k == o.kind()).orElse(true))
                        .map(JaegerResource::operation)
                        .toList(),
                    regionErrors(found.missingRegions(), List.of())));
  }

  @GET
  @Path("/traces/{traceId}")
  @Operation(
      summary = "Jaeger: one trace in Jaeger's UI model",
      description =
          "raw=true skips read-time adjustments. At most cairn.query.trace.max-spans spans; a"
              + " larger trace keeps its earliest and says so in the trace's warnings.")
  public Uni<JaegerModel.Response<List<JaegerModel.Trace>>> trace(
      @PathParam("traceId") String traceId, @Context UriInfo uriInfo) {
    JaegerRequestParser.TraceRequest request = parser.trace(traceId, uriInfo.getQueryParameters());
    if (request.raw()) {
      return queries
          .spans(request.traceId())
          .map(
              found -> {
                if (found.answer().isEmpty()) {
                  throw new TraceNotFoundException(request.traceId(), found.missingRegions());
                }
                return new JaegerModel.Response<>(
                    List.of(trace(found.answer(), maxSpans)),
                    0,
                    0,
                    0,
                    regionErrors(found.missingRegions(), List.of()));
              });
    }
    return queries
        .trace(request.traceId(), true)
        .map(
            found ->
                new JaegerModel.Response<>(
                    List.of(
                        adjusted(
                            found
                                .answer()
                                .orElseThrow(
                                    () ->
                                        new TraceNotFoundException(
                                            request.traceId(), found.missingRegions())))),
                    0,
                    0,
                    0,
                    regionErrors(found.missingRegions(), List.of())));
  }

  /**
   * Jaeger's envelope has no field for a partial answer; its {@code errors} (which Jaeger's UI
   * shows above the results) name each federated region that did not answer, after {@code others}.
   * Null when there is nothing to say, as Go's omitempty leaves it out.
   */
  static List<JaegerModel.Error> regionErrors(
      List<String> missingRegions, List<JaegerModel.Error> others) {
    List<JaegerModel.Error> errors = new ArrayList<>(others);
    for (String region : missingRegions) {
      errors.add(
          new JaegerModel.Error(
              503, "region " + region + " did not answer: its spans may be missing", null));
    }
    return errors.isEmpty() ? null : errors;
  }

  /** The trace at its clock-skew-adjusted times; each adjusted or flagged span says why. */
  private JaegerModel.Trace adjusted(TraceView view) {
    List<Span> spans = new ArrayList<>(view.spans().size());
    Map<SpanId, Long> shifts = new HashMap<>();
    Map<SpanId, List<String>> warnings = new HashMap<>();
    for (SpanView span : view.spans()) {
      spans.add(span.span());
      ClockSkew skew = span.clockSkew();
      if (skew.adjusted()) {
        shifts.put(span.spanId(), skew.appliedNanos());
      }
      skewWarning(skew).ifPresent(w -> warnings.put(span.spanId(), List.of(w)));
    }
    List<String> traceWarnings =
        view.truncated()
            ? List.of(truncationWarning(spans.size(), view.storedSpanCount(), maxSpans))
            : List.of();
    return JaegerTraceMapper.toTrace(spans, shifts, warnings, traceWarnings);
  }

  /** Jaeger's adjuster reports its changes in the span's warnings; so does this one. */
  static Optional<String> skewWarning(ClockSkew skew) {
    return switch (skew.reason()) {
      case NONE -> Optional.empty();
      case SHIFTED_INTO_PARENT, SHIFTED_WITH_PARENT ->
          Optional.of("clock skew adjustment applied: " + skew.appliedNanos() / 1000 + "µs");
      case EXCEEDS_MAX_ADJUSTMENT ->
          Optional.of(
              "max clock skew adjustment exceeded; not applying calculated delta of "
                  + skew.computedNanos() / 1000
                  + "µs");
      case ASYNC_NOT_ADJUSTED ->
          Optional.of(
              "follows-from span outside its producer; not applying calculated delta of "
                  + skew.computedNanos() / 1000
                  + "µs");
    };
  }

  @GET
  @Path("/traces")
  @Operation(
      summary = "Jaeger: search traces, answered as whole traces",
      description =
          "Jaeger's parameters and units: start/end unix microseconds, min/maxDuration Go"
              + " durations, tags a JSON object, tag key:value (repeatable), lookback (1h, 2d,"
              + " custom) when start is absent, limit, traceID (repeatable; the other filters are"
              + " then unused). The traces share cairn.query.jaeger.search-max-spans spans.")
  public Uni<JaegerModel.Response<List<JaegerModel.Trace>>> search(@Context UriInfo uriInfo) {
    JaegerRequestParser.SearchRequest request = parser.search(uriInfo.getQueryParameters());
    if (request.query().isEmpty()) {
      return byIds(request.traceIds());
    }
    return queries
        .search(request.query().get())
        .chain(
            result -> {
              List<TraceId> ids =
                  result.page().traces().stream().map(TraceSummary::traceId).toList();
              int share = Math.max(1, searchMaxSpans / Math.max(1, ids.size()));
              return queries
                  .spans(ids, share)
                  .map(
                      found -> {
                        List<JaegerModel.Trace> traces = new ArrayList<>(ids.size());
                        Set<String> missing = new LinkedHashSet<>(result.missingRegions());
                        missing.addAll(found.missingRegions());
                        // A trace the search found may age out before it is read: left out.
                        for (TraceSpans t : found.answer()) {
                          if (!t.isEmpty()) {
                            traces.add(trace(t, share));
                          }
                        }
                        return new JaegerModel.Response<>(
                            traces, 0, 0, 0, regionErrors(List.copyOf(missing), List.of()));
                      });
            });
  }

  @GET
  @Path("/dependencies")
  @Operation(
      summary = "Jaeger: calls between services",
      description =
          "endTs (unix milliseconds, default now) and lookback (milliseconds, default 24 hours),"
              + " rounded out to whole minutes; service keeps the edges that touch it. callCount"
              + " is weighted by adjusted count, so it stays right under head sampling.")
  public Uni<JaegerModel.Response<List<JaegerModel.DependencyLink>>> dependencies(
      @Context UriInfo uriInfo) {
    JaegerRequestParser.DependenciesRequest request =
        parser.dependencies(uriInfo.getQueryParameters());
    return metrics
        .dependencies(request.window().start(), request.window().end(), maxEdges + 1)
        .map(
            edges -> {
              List<JaegerModel.Error> errors =
                  edges.size() > maxEdges
                      ? List.of(
                          new JaegerModel.Error(
                              null,
                              "more than "
                                  + maxEdges
                                  + " edges (cairn.query.metrics.max-edges); the rest are left"
                                  + " out, narrow the window",
                              null))
                      : null;
              List<EdgeTotal> kept =
                  edges.stream()
                      .limit(maxEdges)
                      .filter(
                          e ->
                              request
                                  .service()
                                  .map(s -> s.equals(e.client()) || s.equals(e.server()))
                                  .orElse(true))
                      .toList();
              return new JaegerModel.Response<>(links(kept), 0, 0, 0, errors);
            });
  }

  /** Jaeger's error shape with the status Cairn's one problem mapping decides. */
  @ServerExceptionMapper
  Response failure(Throwable failure) {
    Response problem = problems.toResponse(failure);
    String message =
        problem.getEntity() instanceof Problem p && p.detail() != null
            ? p.detail()
            : problem.getStatusInfo().getReasonPhrase();
    if (failure instanceof TraceNotFoundException notFound) {
      // Jaeger's own words first: clients recognise them.
      message =
          notFound.missingRegions().isEmpty()
              ? TRACE_NOT_FOUND
              : TRACE_NOT_FOUND
                  + " in the regions that answered; "
                  + String.join(", ", notFound.missingRegions())
                  + " did not answer";
    }
    return Response.fromResponse(problem)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(JaegerModel.Response.failure(problem.getStatus(), message))
        .build();
  }

  private Uni<JaegerModel.Response<List<JaegerModel.Trace>>> byIds(List<TraceId> ids) {
    return queries
        .spans(ids, maxSpans)
        .map(
            found -> {
              List<JaegerModel.Trace> traces = new ArrayList<>();
              List<JaegerModel.Error> missing = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                TraceSpans spans = found.answer().get(i);
                if (spans.isEmpty()) {
                  missing.add(
                      new JaegerModel.Error(
                          null, TRACE_NOT_FOUND, JaegerTraceMapper.traceId(ids.get(i))));
                } else {
                  traces.add(trace(spans, maxSpans));
                }
              }
              return new JaegerModel.Response<>(
                  traces, 0, 0, 0, regionErrors(found.missingRegions(), missing));
            });
  }

  private static JaegerModel.Trace trace(TraceSpans found, int cap) {
    List<String> warnings =
        found.truncated()
            ? List.of(truncationWarning(found.spans().size(), found.storedSpanCount(), cap))
            : List.of();
    return JaegerTraceMapper.toTrace(found.spans(), Map.of(), warnings);
  }

  private static String truncationWarning(int returned, int stored, int cap) {
    return "trace truncated: this answer holds its earliest "
        + returned
        + " of "
        + stored
        + " spans (at most "
        + cap
        + " per trace here)";
  }

  private static JaegerModel.Operation operation(dev.cairn.store.Operation operation) {
    return new JaegerModel.Operation(
        operation.name(), JaegerTraceMapper.spanKind(operation.kind()));
  }

  /** Jaeger lists one link per parent and child: edge types are summed into it. */
  private static List<JaegerModel.DependencyLink> links(List<EdgeTotal> edges) {
    Map<List<String>, Double> calls = new LinkedHashMap<>();
    for (EdgeTotal edge : edges) {
      calls.merge(List.of(edge.client(), edge.server()), edge.aggregate().count(), Double::sum);
    }
    List<JaegerModel.DependencyLink> links = new ArrayList<>(calls.size());
    calls.forEach(
        (pair, count) ->
            links.add(new JaegerModel.DependencyLink(pair.get(0), pair.get(1), Math.round(count))));
    return links;
  }
}
