package dev.cairn.query.transport.http;

import dev.cairn.query.trace.SearchResult;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceSummary;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code GET /api/v1/traces}. */
public record SearchResponse(
    @Schema(description = "Matching traces, newest first (start time, then trace id, descending)")
        List<Summary> traces,
    @Schema(
            description =
                "Opaque token: pass it as `cursor` with the same filters for the next page;"
                    + " null when no more results may follow",
            nullable = true)
        String nextCursor,
    @Schema(
            description =
                "Federated regions that did not answer in time: their traces may be missing from"
                    + " this page (the cursor still continues correctly); empty when all answered")
        List<String> missingRegions) {

  static SearchResponse of(SearchResult result) {
    TracePage page = result.page();
    return new SearchResponse(
        page.traces().stream().map(Summary::of).toList(),
        page.next().map(SearchCursor::encode).orElse(null),
        result.missingRegions());
  }

  /** One trace in a search result. */
  @Schema(name = "TraceSummary")
  public record Summary(
      @Schema(description = "32 lowercase hex digits") String traceId,
      @Schema(
              description =
                  "Service of the root span (or of the earliest span while the root is missing)")
          String rootServiceName,
      String rootSpanName,
      @Schema(description = "Unix nanoseconds, as a decimal string (OTLP JSON int64)")
          String startTimeUnixNano,
      @Schema(description = "Unix nanoseconds, as a decimal string (OTLP JSON int64)")
          String endTimeUnixNano,
      @Schema(description = "End of the last span minus start of the first, in nanoseconds")
          long durationNanos,
      int spanCount,
      @Schema(description = "Spans with status code ERROR") int errorCount,
      @Schema(description = "Services with spans in the trace, sorted") List<String> services) {

    static Summary of(TraceSummary summary) {
      return new Summary(
          summary.traceId().toHex(),
          summary.rootServiceName(),
          summary.rootSpanName(),
          Long.toString(summary.startTimeUnixNano()),
          Long.toString(summary.endTimeUnixNano()),
          summary.durationNanos(),
          summary.spanCount(),
          summary.errorCount(),
          summary.services());
    }
  }
}
