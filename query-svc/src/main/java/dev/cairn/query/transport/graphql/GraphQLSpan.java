package dev.cairn.query.transport.graphql;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * One span as stored. {@code parent} and {@code children} are answered from the trace already
 * loaded, so walking the tree costs no query.
 */
@Name("Span")
public final class GraphQLSpan {

  private final Span span;
  private final GraphQLTrace trace;

  GraphQLSpan(Span span, GraphQLTrace trace) {
    this.span = span;
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

  @Description("End minus start, in nanoseconds")
  public long getDurationNanos() {
    return span.durationNanos();
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
    return span.parentSpanId().flatMap(trace::span).orElse(null);
  }

  @NonNull
  @Description("Spans whose parent this is, by start time")
  public List<@NonNull GraphQLSpan> getChildren() {
    return trace.children(span.spanId());
  }

  @Ignore
  Span span() {
    return span;
  }
}
