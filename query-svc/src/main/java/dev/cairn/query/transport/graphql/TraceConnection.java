package dev.cairn.query.transport.graphql;

import dev.cairn.query.trace.SearchResult;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * One page of a trace search as a cursor connection. Cursors are REST's ({@code nextCursor} of
 * {@code GET /api/v1/traces}): a cursor from either API continues a search in the other.
 */
public record TraceConnection(
    @NonNull List<@NonNull TraceEdge> edges,
    @NonNull PageInfo pageInfo,
    @NonNull
        @Description(
            "Federated regions that did not answer in time: their traces may be missing from this"
                + " page; empty when all answered")
        List<@NonNull String> missingRegions) {

  /** A trace and the cursor to continue after it. */
  public record TraceEdge(@NonNull GraphQLTraceSummary node, @NonNull String cursor) {}

  /** Whether more results may follow, and the cursor to ask for them. */
  public record PageInfo(
      boolean hasNextPage,
      @Description("Pass as `after` with the same filter for the next page; null on the last")
          String endCursor) {}

  static TraceConnection of(SearchResult result) {
    TracePage page = result.page();
    List<TraceEdge> edges =
        page.traces().stream()
            .map(
                s ->
                    new TraceEdge(
                        GraphQLTraceSummary.of(s),
                        new SearchCursor(s.startTimeUnixNano(), s.traceId()).encode()))
            .toList();
    return new TraceConnection(
        edges,
        new PageInfo(page.next().isPresent(), page.next().map(SearchCursor::encode).orElse(null)),
        result.missingRegions());
  }
}
