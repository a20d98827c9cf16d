package dev.cairn.query.transport.graphql;

import dev.cairn.model.SpanLink;
import dev.cairn.model.TraceId;
import dev.cairn.query.TraceNotFoundException;
import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.query.search.SpanIdParser;
import dev.cairn.query.search.TraceIdParser;
import dev.cairn.query.trace.TraceQueries;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

/**
 * Trace by id, trace search and the fields that follow links, over the query service and parsers of
 * REST. Arguments are checked by the REST parsers: bad input is a GraphQL error naming the
 * argument.
 */
@GraphQLApi
public class TraceGraphQLApi {

  private final TraceQueries queries;
  private final SearchRequestParser searchParser;
  private final int maxLinkedTraces;

  @Inject
  TraceGraphQLApi(TraceQueries queries, SearchRequestParser searchParser, QueryConfig config) {
    this.queries = queries;
    this.searchParser = searchParser;
    this.maxLinkedTraces = config.graphql().maxLinkedTraces();
  }

  @Query("trace")
  @Description(
      "A trace by id (32 hex digits); null when no span of it is stored, an error naming the"
          + " regions when it is not found and a peer region did not answer. At most"
          + " cairn.query.trace.max-spans spans, the earliest, with truncated true when cut.")
  public Uni<GraphQLTrace> trace(
      @NonNull @Name("id") String id,
      @Name("raw") @Description("true: no clock-skew adjustment (adjusted times equal raw ones)")
          Boolean raw) {
    TraceId traceId = TraceIdParser.parse("id", id);
    return queries
        .trace(traceId, raw == null || !raw)
        .map(
            found -> {
              // null means "not stored"; when a peer region did not answer that is unknown, so
              // the error names the regions instead (as REST's 404 and Jaeger's errors do)
              if (found.answer().isEmpty() && !found.missingRegions().isEmpty()) {
                throw new TraceNotFoundException(traceId, found.missingRegions());
              }
              return found.answer().map(GraphQLTrace::new).orElse(null);
            });
  }

  @Query("traces")
  @Description(
      "Traces matching the filter, newest first, as a cursor connection: at most `first` (1 to"
          + " 1000, default 20) after the cursor `after` (REST's nextCursor works too)")
  public Uni<TraceConnection> traces(
      @Name("filter") TraceFilter filter,
      @Name("first") Integer first,
      @Name("after") String after) {
    TraceFilter f = filter != null ? filter : new TraceFilter();
    GraphQLArguments arguments =
        new GraphQLArguments()
            .put(SearchRequestParser.SERVICE, f.service)
            .put(SearchRequestParser.OPERATION, f.operation)
            .putAll(SearchRequestParser.TAG, f.tags)
            .put(SearchRequestParser.MIN_DURATION, f.minDuration)
            .put(SearchRequestParser.MAX_DURATION, f.maxDuration)
            .put(SearchRequestParser.ERROR, f.error == null ? null : f.error.toString())
            .put(SearchRequestParser.START, f.start)
            .put(SearchRequestParser.END, f.end)
            .put(SearchRequestParser.LIMIT, "first", first == null ? null : first.toString())
            .put(SearchRequestParser.CURSOR, "after", after);
    return queries.search(arguments.parse(searchParser::parse)).map(TraceConnection::of);
  }

  @Description("The span with this id (16 hex digits) in this trace, or null")
  public GraphQLSpan span(@Source GraphQLTrace trace, @NonNull @Name("spanId") String spanId) {
    return trace.span(SpanIdParser.parse("spanId", spanId)).orElse(null);
  }

  @Name("trace")
  @Description("The linked trace; null when no span of it is stored")
  public Uni<List<GraphQLTrace>> linkedTrace(@Source List<GraphQLSpanLink> links) {
    return resolve(links)
        .map(traces -> links.stream().map(l -> traces.get(l.link().traceId())).toList());
  }

  @Name("span")
  @Description("The linked span; null when it is not stored")
  public Uni<List<GraphQLSpan>> linkedSpan(@Source List<GraphQLSpanLink> links) {
    return resolve(links)
        .map(
            traces ->
                links.stream()
                    .map(
                        l -> {
                          GraphQLTrace trace = traces.get(l.link().traceId());
                          return trace == null ? null : trace.span(l.link().spanId()).orElse(null);
                        })
                    .toList());
  }

  /**
   * The traces the links point to, each read once; links within a trace already loaded need no
   * read. Absent traces map to null.
   */
  private Uni<Map<TraceId, GraphQLTrace>> resolve(List<GraphQLSpanLink> links) {
    Map<TraceId, GraphQLTrace> known = new HashMap<>();
    Set<TraceId> missing = new LinkedHashSet<>();
    for (GraphQLSpanLink link : links) {
      GraphQLTrace from = link.from();
      known.put(from.id(), from);
    }
    for (GraphQLSpanLink link : links) {
      SpanLink l = link.link();
      if (!known.containsKey(l.traceId())) {
        missing.add(l.traceId());
      }
    }
    if (missing.size() > maxLinkedTraces) {
      return Uni.createFrom()
          .failure(new TooManyLinkedTracesException(missing.size(), maxLinkedTraces));
    }
    if (missing.isEmpty()) {
      return Uni.createFrom().item(known);
    }
    List<TraceId> ids = new ArrayList<>(missing);
    List<Uni<GraphQLTrace>> reads = ids.stream().map(id -> load(id, true)).toList();
    return Uni.join()
        .all(reads)
        .andFailFast()
        .map(
            loaded -> {
              Map<TraceId, GraphQLTrace> all = new HashMap<>(known);
              for (int i = 0; i < ids.size(); i++) {
                all.put(ids.get(i), loaded.get(i));
              }
              return all;
            });
  }

  private Uni<GraphQLTrace> load(TraceId id, boolean adjustClockSkew) {
    return queries
        .trace(id, adjustClockSkew)
        .map(found -> found.answer().map(GraphQLTrace::new).orElse(null));
  }
}
