package dev.cairn.query.transport.graphql;

import dev.cairn.model.SpanLink;
import java.util.List;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * A link to a span of this or another trace (a Kafka consumer's link to its producer). Its {@code
 * trace} and {@code span} fields are resolved by {@link TraceGraphQLApi}, in one batch per request.
 */
@Name("SpanLink")
public final class GraphQLSpanLink {

  private final SpanLink link;
  private final GraphQLTrace from;

  GraphQLSpanLink(SpanLink link, GraphQLTrace from) {
    this.link = link;
    this.from = from;
  }

  @NonNull
  public String getTraceId() {
    return link.traceId().toHex();
  }

  @NonNull
  public String getSpanId() {
    return link.spanId().toHex();
  }

  @NonNull
  public String getTraceState() {
    return link.traceState();
  }

  @NonNull
  public List<@NonNull GraphQLAttribute> getAttributes() {
    return GraphQLAttribute.of(link.attributes());
  }

  public int getDroppedAttributesCount() {
    return link.droppedAttributesCount();
  }

  public int getFlags() {
    return link.flags();
  }

  @Ignore
  SpanLink link() {
    return link;
  }

  /** The trace of the span that holds the link, already loaded. */
  @Ignore
  GraphQLTrace from() {
    return from;
  }
}
