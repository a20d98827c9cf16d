package dev.cairn.query.transport.graphql;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.query.trace.ClockSkew;
import dev.cairn.query.trace.ParentRelation;
import dev.cairn.query.trace.SpanView;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * One span as stored. {@code parent} and {@code children} are answered from the trace already
 * loaded, so walking the tree costs no query.
 */
@Name("Span")
public final class GraphQLSpan {

  private final SpanView view;
  private final Span span;
  private final GraphQLTrace trace;

  GraphQLSpan(SpanView view, GraphQLTrace trace) {
    this.view = view;
    this.span = view.span();
    this.trace = trace;
  }

  @NonNull
  @Description("32 lowercase hex digits")
  public String getTraceId() {
    return span.traceId().toHex();
  }

  @NonNull
  @Description("16 lowercase hex digits")
  public String getSpanId() {
    return span.spanId().toHex();
  }

  @Description("Null for a root span")
  public String getParentSpanId() {
    return span.parentSpanId().map(id -> id.toHex()).orElse(null);
  }

  @NonNull
  public String getName() {
    return span.name();
  }

  @NonNull
  public SpanKind getKind() {
    return span.kind();
  }

  @NonNull
  @Description("service.name of the span's resource")
  public String getService() {
    return span.serviceName();
  }

  @NonNull
  @Description("Unix nanoseconds as a decimal string, as received (no clock-skew adjustment)")
  public String getStartTimeUnixNano() {
    return Long.toString(span.startTimeUnixNano());
  }

  @NonNull
  @Description("Unix nanoseconds as a decimal string, as received (no clock-skew adjustment)")
  public String getEndTimeUnixNano() {
    return Long.toString(span.endTimeUnixNano());
  }

  @Description("End minus start as received, in nanoseconds")
  public long getDurationNanos() {
    return span.durationNanos();
  }

  @NonNull
  @Description("Start after clock-skew adjustment (equal to the raw start when not adjusted)")
  public String getAdjustedStartTimeUnixNano() {
    return Long.toString(view.adjustedStartTimeUnixNano());
  }

  @NonNull
  @Description("End after clock-skew adjustment (equal to the raw end when not adjusted)")
  public String getAdjustedEndTimeUnixNano() {
    return Long.toString(view.adjustedEndTimeUnixNano());
  }

  @NonNull
  @Description("Whether and by how much the span's clock was shifted, and why")
  public GraphQLClockSkew getClockSkew() {
    return GraphQLClockSkew.of(view.clockSkew());
  }

  @Description("The span determined part of the trace's end-to-end latency")
  public boolean isOnCriticalPath() {
    return view.onCriticalPath();
  }

  @Description("Nanoseconds of the critical path spent in this span itself, not in its children")
  public long getCriticalPathSelfNanos() {
    return view.criticalPathSelfNanos();
  }

  @Description("Depth in the tree; 0 for a span that heads a subtree")
  public int getDepth() {
    return view.depth();
  }

  @NonNull
  @Description("How the span hangs in the tree (ROOT, CHILD_OF, FOLLOWS_FROM, PARENT_MISSING, …)")
  public ParentRelation getParentRelation() {
    return view.parentRelation();
  }

  @NonNull
  public StatusCode getStatusCode() {
    return span.status().code();
  }

  @NonNull
  public String getStatusMessage() {
    return span.status().message();
  }

  @NonNull
  public String getTraceState() {
    return span.traceState();
  }

  public int getFlags() {
    return span.flags();
  }

  @NonNull
  public List<@NonNull GraphQLAttribute> getAttributes() {
    return GraphQLAttribute.of(span.attributes());
  }

  public int getDroppedAttributesCount() {
    return span.droppedAttributesCount();
  }

  @NonNull
  public List<@NonNull GraphQLSpanEvent> getEvents() {
    return span.events().stream().map(GraphQLSpanEvent::of).toList();
  }

  public int getDroppedEventsCount() {
    return span.droppedEventsCount();
  }

  @NonNull
  public List<@NonNull GraphQLSpanLink> getLinks() {
    return span.links().stream().map(link -> new GraphQLSpanLink(link, trace)).toList();
  }

  public int getDroppedLinksCount() {
    return span.droppedLinksCount();
  }

  @NonNull
  @Description("Attributes of the resource (service instance) that produced the span")
  public List<@NonNull GraphQLAttribute> getResourceAttributes() {
    return GraphQLAttribute.of(span.resource().attributes());
  }

  @NonNull
  @Description("Name of the instrumentation scope that recorded the span")
  public String getScopeName() {
    return span.scope().name();
  }

  @NonNull
  public String getScopeVersion() {
    return span.scope().version();
  }

  @Description("The parent span; null for a root, or when the parent is not stored")
  public GraphQLSpan getParent() {
    return trace.parent(view).orElse(null);
  }

  @NonNull
  @Description("Spans whose parent this is, by start time")
  public List<@NonNull GraphQLSpan> getChildren() {
    return trace.children(view);
  }

  /** A span's clock-skew adjustment. */
  @Name("ClockSkew")
  public record GraphQLClockSkew(
      @Description("Nanoseconds the span was shifted by (0: not adjusted)") long appliedNanos,
      @Description("The shift computed, applied only within cairn.query.clock-skew.max-adjustment")
          long computedNanos,
      @NonNull ClockSkew.Reason reason,
      boolean adjusted) {

    static GraphQLClockSkew of(ClockSkew skew) {
      return new GraphQLClockSkew(
          skew.appliedNanos(), skew.computedNanos(), skew.reason(), skew.adjusted());
    }
  }
}
