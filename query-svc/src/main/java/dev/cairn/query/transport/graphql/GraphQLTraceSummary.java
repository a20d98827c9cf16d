package dev.cairn.query.transport.graphql;

import dev.cairn.store.TraceSummary;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/** One trace in a search result, as REST's TraceSummary. */
@Name("TraceSummary")
public record GraphQLTraceSummary(
    @NonNull @Description("32 lowercase hex digits") String traceId,
    @NonNull
        @Description("Service of the root span (or of the earliest span while the root is missing)")
        String rootServiceName,
    @NonNull String rootSpanName,
    @NonNull @Description("Unix nanoseconds as a decimal string") String startTimeUnixNano,
    @NonNull @Description("Unix nanoseconds as a decimal string") String endTimeUnixNano,
    @Description("End of the last span minus start of the first, in nanoseconds")
        long durationNanos,
    int spanCount,
    @Description("Spans with status code ERROR") int errorCount,
    @NonNull @Description("Services with spans in the trace, sorted")
        List<@NonNull String> services) {

  static GraphQLTraceSummary of(TraceSummary summary) {
    return new GraphQLTraceSummary(
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
