package dev.cairn.query.transport.http;

import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanLink;
import dev.cairn.query.trace.ClockSkew;
import dev.cairn.query.trace.Completeness;
import dev.cairn.query.trace.CriticalPathSection;
import dev.cairn.query.trace.ParentRelation;
import dev.cairn.query.trace.SpanView;
import dev.cairn.query.trace.TraceView;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code GET /api/v1/traces/{traceId}/view}: the analysed trace. Timestamps are unix
 * nanoseconds as decimal strings (as in OTLP JSON), durations and shifts nanoseconds as numbers.
 */
@Schema(name = "TraceView")
public record TraceViewResponse(
    @Schema(description = "32 lowercase hex digits") String traceId,
    @Schema(description = "Earliest adjusted span start") String startTimeUnixNano,
    @Schema(description = "Latest adjusted span end") String endTimeUnixNano,
    long durationNanos,
    @Schema(description = "false when clock-skew adjustment was switched off (raw=true)")
        boolean clockSkewAdjusted,
    @Schema(description = "The trace has more spans than this answer holds (the earliest kept)")
        boolean truncated,
    @Schema(description = "Spans in this answer") int spansReturned,
    @Schema(description = "Spans of the trace in the store") int storedSpanCount,
    @Schema(
            description =
                "Federated regions that did not answer in time; their spans may be missing")
        List<String> missingRegions,
    CompletenessJson completeness,
    @Schema(description = "Critical-path sections in time order (one chain per subtree head)")
        List<Section> criticalPath,
    @Schema(
            description =
                "Spans in tree order: each subtree head, then depth-first its descendants,"
                    + " siblings by adjusted start")
        List<SpanJson> spans) {

  static TraceViewResponse of(TraceView view) {
    return new TraceViewResponse(
        view.traceId().toHex(),
        Long.toString(view.startTimeUnixNano()),
        Long.toString(view.endTimeUnixNano()),
        view.durationNanos(),
        view.clockSkewAdjusted(),
        view.truncated(),
        view.spans().size(),
        view.storedSpanCount(),
        view.missingRegions(),
        CompletenessJson.of(view.completeness()),
        view.criticalPath().stream().map(Section::of).toList(),
        view.spans().stream().map(SpanJson::of).toList());
  }

  @Schema(name = "TraceCompleteness")
  public record CompletenessJson(
      @Schema(description = "A span without a parent is in the answer") boolean rootFound,
      @Schema(description = "Parents named by spans of the answer but not in it, sorted")
          List<String> missingParentSpanIds,
      @Schema(description = "Spans that reached the sampler after it had decided the trace")
          int lateSpanCount,
      @Schema(description = "rootFound, no missing parent and no late span") boolean complete) {

    static CompletenessJson of(Completeness completeness) {
      return new CompletenessJson(
          completeness.rootFound(),
          completeness.missingParentSpanIds().stream().map(SpanId::toHex).toList(),
          completeness.lateSpanCount(),
          completeness.complete());
    }
  }

  @Schema(name = "CriticalPathSection")
  public record Section(
      String spanId, String startTimeUnixNano, String endTimeUnixNano, long durationNanos) {

    static Section of(CriticalPathSection section) {
      return new Section(
          section.spanId().toHex(),
          Long.toString(section.startTimeUnixNano()),
          Long.toString(section.endTimeUnixNano()),
          section.durationNanos());
    }
  }

  @Schema(name = "ClockSkew")
  public record ClockSkewJson(
      @Schema(description = "Added to the stored start, end and event times") long appliedNanos,
      @Schema(description = "The shift computed; differs from appliedNanos when not applied")
          long computedNanos,
      ClockSkew.Reason reason) {

    static ClockSkewJson of(ClockSkew skew) {
      return new ClockSkewJson(skew.appliedNanos(), skew.computedNanos(), skew.reason());
    }
  }

  @Schema(name = "SpanStatus")
  public record StatusJson(
      @Schema(enumeration = {"UNSET", "OK", "ERROR"}) String code, String message) {}

  @Schema(name = "SpanScope")
  public record ScopeJson(String name, String version) {}

  @Schema(name = "SpanEventView")
  public record EventJson(
      String timeUnixNano,
      @Schema(description = "timeUnixNano plus the span's applied clock skew")
          String adjustedTimeUnixNano,
      String name,
      Map<String, Object> attributes) {

    static EventJson of(SpanEvent event, long skew) {
      return new EventJson(
          Long.toString(event.timeUnixNano()),
          Long.toString(event.timeUnixNano() + skew),
          event.name(),
          AttributeValues.of(event.attributes()));
    }
  }

  @Schema(name = "SpanLinkView")
  public record LinkJson(String traceId, String spanId, Map<String, Object> attributes) {

    static LinkJson of(SpanLink link) {
      return new LinkJson(
          link.traceId().toHex(), link.spanId().toHex(), AttributeValues.of(link.attributes()));
    }
  }

  @Schema(name = "SpanView")
  public record SpanJson(
      String spanId,
      @Schema(nullable = true) String parentSpanId,
      ParentRelation parentRelation,
      int depth,
      List<String> childSpanIds,
      String service,
      String name,
      @Schema(enumeration = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"})
          String kind,
      @Schema(description = "As stored") String startTimeUnixNano,
      @Schema(description = "As stored") String endTimeUnixNano,
      String adjustedStartTimeUnixNano,
      String adjustedEndTimeUnixNano,
      long durationNanos,
      ClockSkewJson clockSkew,
      boolean onCriticalPath,
      long criticalPathSelfNanos,
      StatusJson status,
      Map<String, Object> attributes,
      Map<String, Object> resource,
      ScopeJson scope,
      List<EventJson> events,
      List<LinkJson> links) {

    static SpanJson of(SpanView view) {
      Span span = view.span();
      long skew = view.clockSkew().appliedNanos();
      return new SpanJson(
          view.spanId().toHex(),
          view.parentSpanId().map(SpanId::toHex).orElse(null),
          view.parentRelation(),
          view.depth(),
          view.childSpanIds().stream().map(SpanId::toHex).toList(),
          view.service(),
          span.name(),
          span.kind().name(),
          Long.toString(view.startTimeUnixNano()),
          Long.toString(view.endTimeUnixNano()),
          Long.toString(view.adjustedStartTimeUnixNano()),
          Long.toString(view.adjustedEndTimeUnixNano()),
          view.durationNanos(),
          ClockSkewJson.of(view.clockSkew()),
          view.onCriticalPath(),
          view.criticalPathSelfNanos(),
          new StatusJson(span.status().code().name(), span.status().message()),
          AttributeValues.of(span.attributes()),
          AttributeValues.of(span.resource().attributes()),
          new ScopeJson(span.scope().name(), span.scope().version()),
          span.events().stream().map(e -> EventJson.of(e, skew)).toList(),
          span.links().stream().map(LinkJson::of).toList());
    }
  }
}
