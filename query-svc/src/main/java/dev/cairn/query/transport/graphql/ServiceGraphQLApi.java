package dev.cairn.query.transport.graphql;

import dev.cairn.query.config.QueryConfig;
import dev.cairn.query.federation.FederatedAnswer;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.metrics.StepPoints;
import dev.cairn.query.search.Names;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.query.trace.TraceQueries;
import dev.cairn.store.MetricsQuery;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The catalog of services and operations, the service graph and span metrics, as REST's. */
@GraphQLApi
public class ServiceGraphQLApi {

  private final TraceQueries queries;
  private final MetricsRequestParser metricsParser;
  private final int maxEdges;

  @Inject
  ServiceGraphQLApi(TraceQueries queries, MetricsRequestParser metricsParser, QueryConfig config) {
    this.queries = queries;
    this.metricsParser = metricsParser;
    this.maxEdges = config.metrics().maxEdges();
  }

  @Query("services")
  @Description(
      "Service names seen, sorted. With federation, those of the regions that answered; an error"
          + " beside the data names each region that did not")
  public Uni<List<@NonNull String>> services() {
    return queries.services().flatMap(ServiceGraphQLApi::partial);
  }

  @Query("operations")
  @Description(
      "Span names and kinds seen for a service, sorted; empty for an unknown service. Regions that"
          + " did not answer as for services")
  public Uni<List<@NonNull GraphQLOperation>> operations(@NonNull @Name("service") String service) {
    return queries
        .operations(Names.service("service", service))
        .flatMap(
            found -> partial(found.map(ops -> ops.stream().map(GraphQLOperation::of).toList())));
  }

  /**
   * A list has no field to say it is partial: GraphQL's own way is the data with an error entry
   * beside it (MicroProfile GraphQL's partial results).
   */
  private static <T> Uni<List<T>> partial(FederatedAnswer<List<T>> found) {
    if (found.missingRegions().isEmpty()) {
      return Uni.createFrom().item(found.answer());
    }
    return Uni.createFrom()
        .failure(
            new GraphQLException(
                String.join(", ", found.missingRegions())
                    + " did not answer: entries of theirs may be missing",
                found.answer()));
  }

  @Query("dependencies")
  @Description(
      "Edges between services with calls that started in [from, to) (RFC 3339 or unix"
          + " nanoseconds; default the last hour, at most 30 days), from span metrics")
  public Uni<GraphQLMetrics.Dependencies> dependencies(
      @Name("from") String from, @Name("to") String to) {
    QueryParameters.Window window =
        new GraphQLArguments()
            .put(QueryParameters.START, "from", from)
            .put(QueryParameters.END, "to", to)
            .parse(metricsParser::dependencies);
    return queries
        .dependencies(window.start(), window.end(), maxEdges + 1)
        .map(
            edges ->
                new GraphQLMetrics.Dependencies(
                    window.start(),
                    window.end(),
                    edges.stream().limit(maxEdges).map(GraphQLMetrics.Edge::of).toList(),
                    edges.size() > maxEdges));
  }

  @Query("serviceMetrics")
  @Description(
      "RED metrics of a service's spans that started in [from, to), per step (whole minutes,"
          + " 1m, 5m, 1h; default 120 steps or fewer), weighted by adjusted count")
  public Uni<GraphQLMetrics.ServiceMetrics> serviceMetrics(
      @NonNull @Name("service") String service,
      @Name("from") String from,
      @Name("to") String to,
      @Name("step") String step,
      @Name("operation") String operation,
      @Description("server, client, producer, consumer, internal") @Name("spanKind")
          String spanKind) {
    MetricsQuery query =
        new GraphQLArguments()
            .put(QueryParameters.START, "from", from)
            .put(QueryParameters.END, "to", to)
            .put(MetricsRequestParser.STEP, step)
            .put(MetricsRequestParser.OPERATION, operation)
            .put(MetricsRequestParser.SPAN_KIND, spanKind)
            .parse(parameters -> metricsParser.serviceMetrics(service, parameters));
    return queries
        .serviceMetrics(query)
        .map(points -> GraphQLMetrics.ServiceMetrics.of(query, StepPoints.fill(query, points)));
  }
}
