package dev.cairn.query.transport.graphql;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.store.TraceSpans;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * One trace, loaded once; its spans are indexed by id and by parent so that {@code parent}, {@code
 * children} and links within the trace are answered without another query.
 */
@Name("Trace")
public final class GraphQLTrace {

  private final TraceId traceId;
  private final TraceSpans found;
  private final Map<SpanId, GraphQLSpan> byId = new LinkedHashMap<>();
  private final Map<SpanId, List<GraphQLSpan>> children = new HashMap<>();

  GraphQLTrace(TraceId traceId, TraceSpans found) {
    this.traceId = traceId;
    this.found = found;
    for (Span span : found.spans()) {
      GraphQLSpan node = new GraphQLSpan(span, this);
      byId.putIfAbsent(span.spanId(), node);
      span.parentSpanId()
          .ifPresent(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(node));
    }
  }

  @NonNull
  @Description("32 lowercase hex digits")
  public String getTraceId() {
    return traceId.toHex();
  }

  @NonNull
  @Description("Every span returned, by start time (the earliest ones when truncated)")
  public List<@NonNull GraphQLSpan> getSpans() {
    return List.copyOf(byId.values());
  }

  @NonNull
  @Description("Spans without a parent")
  public List<@NonNull GraphQLSpan> getRootSpans() {
    return byId.values().stream().filter(s -> s.span().isRoot()).toList();
  }

  @Description("Spans returned")
  public int getSpanCount() {
    return found.spans().size();
  }

  @Description("Spans of the trace in the store (search's spanCount)")
  public int getStoredSpanCount() {
    return found.storedSpanCount();
  }

  @Description("true when the trace has more spans than cairn.query.trace.max-spans")
  public boolean isTruncated() {
    return found.truncated();
  }

  @NonNull
  @Description("Services with spans in the answer, sorted")
  public List<@NonNull String> getServices() {
    TreeSet<String> services = new TreeSet<>();
    found.spans().forEach(s -> services.add(s.serviceName()));
    return List.copyOf(services);
  }

  @NonNull
  @Description("Earliest span start, unix nanoseconds as a decimal string")
  public String getStartTimeUnixNano() {
    return Long.toString(start());
  }

  @NonNull
  @Description("Latest span end, unix nanoseconds as a decimal string")
  public String getEndTimeUnixNano() {
    return Long.toString(end());
  }

  @Description("Latest end minus earliest start, in nanoseconds")
  public long getDurationNanos() {
    return end() - start();
  }

  @Ignore
  Optional<GraphQLSpan> span(SpanId id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Ignore
  List<GraphQLSpan> children(SpanId parent) {
    return children.getOrDefault(parent, List.of());
  }

  @Ignore
  TraceId id() {
    return traceId;
  }

  private long start() {
    return found.spans().stream().mapToLong(Span::startTimeUnixNano).min().orElse(0);
  }

  private long end() {
    return found.spans().stream().mapToLong(Span::endTimeUnixNano).max().orElse(0);
  }
}
