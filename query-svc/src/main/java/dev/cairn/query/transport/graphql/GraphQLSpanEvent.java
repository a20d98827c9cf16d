package dev.cairn.query.transport.graphql;

import dev.cairn.model.SpanEvent;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/** A timestamped annotation on a span (an exception, a log line). */
@Name("SpanEvent")
public record GraphQLSpanEvent(
    @NonNull @Description("Unix nanoseconds as a decimal string") String timeUnixNano,
    @NonNull String name,
    @NonNull List<@NonNull GraphQLAttribute> attributes,
    int droppedAttributesCount) {

  static GraphQLSpanEvent of(SpanEvent event) {
    return new GraphQLSpanEvent(
        Long.toString(event.timeUnixNano()),
        event.name(),
        GraphQLAttribute.of(event.attributes()),
        event.droppedAttributesCount());
  }
}
