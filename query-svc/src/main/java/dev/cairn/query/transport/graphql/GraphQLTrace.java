package dev.cairn.query.transport.graphql;

import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.query.trace.Completeness;
import dev.cairn.query.trace.CriticalPathSection;
import dev.cairn.query.trace.SpanView;
import dev.cairn.query.trace.TraceView;
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
 * One analysed trace ({@link TraceView}: clock skew, critical path, completeness), loaded once:
 * {@code parent}, {@code children} and links within the trace are answered from it without another
 * query.
 */
@Name("Trace")
public final class GraphQLTrace {

  private final TraceView view;
  private final Map<SpanId, GraphQLSpan> bySpanId = new LinkedHashMap<>();

  GraphQLTrace(TraceView view) {
    this.view = view;
    for (SpanView span : view.spans()) {
      bySpanId.putIfAbsent(span.spanId(), new GraphQLSpan(span, this));
    }
  }

  @NonNull
  @Description("32 lowercase hex digits")
  public String getTraceId() {
    return view.traceId().toHex();
  }

  @NonNull
  @Description(
      "Every span returned, in tree order (parents before children, siblings by start time)")
  public List<@NonNull GraphQLSpan> getSpans() {
    return view.spans().stream().map(this::node).toList();
  }

  @NonNull
  @Description("Spans that head a subtree: roots, and spans whose parent is missing")
  public List<@NonNull GraphQLSpan> getRootSpans() {
    return view.spans().stream().filter(s -> s.parentRelation().isTop()).map(this::node).toList();
  }

  @Description("Spans returned")
  public int getSpanCount() {
    return view.spans().size();
  }

  @Description("Spans of the trace in the store (search's spanCount)")
  public int getStoredSpanCount() {
    return view.storedSpanCount();
  }

  @Description("true when the trace has more spans than cairn.query.trace.max-spans")
  public boolean isTruncated() {
    return view.truncated();
  }

  @NonNull
  @Description(
      "Federated regions that did not answer in time: their spans may be missing; empty when all"
          + " answered")
  public List<@NonNull String> getMissingRegions() {
    return view.missingRegions();
  }

  @Description("true when at least one span's timing was adjusted for clock skew")
  public boolean isClockSkewAdjusted() {
    return view.clockSkewAdjusted();
  }

  @NonNull
  @Description("Whether the root was found, which parents are missing, spans that arrived late")
  public GraphQLCompleteness getCompleteness() {
    return GraphQLCompleteness.of(view.completeness());
  }

  @NonNull
  @Description(
      "The chain of span sections that determined the end-to-end latency, in time order"
          + " (adjusted timing)")
  public List<@NonNull GraphQLCriticalPathSection> getCriticalPath() {
    return view.criticalPath().stream().map(GraphQLCriticalPathSection::of).toList();
  }

  @NonNull
  @Description("Services with spans in the answer, sorted")
  public List<@NonNull String> getServices() {
    TreeSet<String> services = new TreeSet<>();
    view.spans().forEach(s -> services.add(s.service()));
    return List.copyOf(services);
  }

  @NonNull
  @Description("Earliest adjusted span start, unix nanoseconds as a decimal string")
  public String getStartTimeUnixNano() {
    return Long.toString(view.startTimeUnixNano());
  }

  @NonNull
  @Description("Latest adjusted span end, unix nanoseconds as a decimal string")
  public String getEndTimeUnixNano() {
    return Long.toString(view.endTimeUnixNano());
  }

  @Description("Latest end minus earliest start (adjusted), in nanoseconds")
  public long getDurationNanos() {
    return view.durationNanos();
  }

  @Ignore
  Optional<GraphQLSpan> span(SpanId id) {
    return Optional.ofNullable(bySpanId.get(id));
  }

  @Ignore
  Optional<GraphQLSpan> parent(SpanView span) {
    return view.parent(span).map(this::node);
  }

  @Ignore
  List<GraphQLSpan> children(SpanView span) {
    return view.children(span).stream().map(this::node).toList();
  }

  @Ignore
  TraceId id() {
    return view.traceId();
  }

  private GraphQLSpan node(SpanView span) {
    return bySpanId.get(span.spanId());
  }

  /** The completeness flags of a trace answer. */
  @Name("Completeness")
  public record GraphQLCompleteness(
      @Description("A span without parent is in the answer") boolean rootFound,
      @NonNull @Description("Parent span ids that spans name but the answer lacks")
          List<@NonNull String> missingParentSpanIds,
      @Description("Spans that arrived after the sampling decision") int lateSpanCount,
      @Description("Root found, no parent missing, no late span") boolean complete) {

    static GraphQLCompleteness of(Completeness c) {
      return new GraphQLCompleteness(
          c.rootFound(),
          c.missingParentSpanIds().stream().map(SpanId::toHex).toList(),
          c.lateSpanCount(),
          c.complete());
    }
  }

  /** A stretch of time during which one span determined the trace's latency. */
  @Name("CriticalPathSection")
  public record GraphQLCriticalPathSection(
      @NonNull String spanId,
      @NonNull @Description("Unix nanoseconds (adjusted) as a decimal string")
          String startTimeUnixNano,
      @NonNull @Description("Unix nanoseconds (adjusted) as a decimal string")
          String endTimeUnixNano,
      long durationNanos) {

    static GraphQLCriticalPathSection of(CriticalPathSection s) {
      return new GraphQLCriticalPathSection(
          s.spanId().toHex(),
          Long.toString(s.startTimeUnixNano()),
          Long.toString(s.endTimeUnixNano()),
          s.durationNanos());
    }
  }
}
