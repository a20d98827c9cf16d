package dev.cairn.query.transport.graphql;

import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * One page of a trace search as a cursor connection. Cursors are REST's ({@code nextCursor} of
 * {@code GET /api/v1/traces}): a cursor from either API continues a search in the other.
 */
public record TraceConnection(@NonNull List<@NonNull TraceEdge> edges, @NonNull PageInfo pageInfo) {

  /** A trace and the cursor to continue after it. */
  public record TraceEdge(@NonNull GraphQLTraceSummary node, @NonNull String cursor) {}

  /** Whether more results may follow, and the cursor to ask for them. */
  public record PageInfo(
      boolean hasNextPage,
      @Description("Pass as `after` with the same filter for the next page; null on the last")
          String endCursor) {}

  static TraceConnection of(TracePage page) {
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
        new PageInfo(page.next().isPresent(), page.next().map(SearchCursor::encode).orElse(null)));
  }
}
