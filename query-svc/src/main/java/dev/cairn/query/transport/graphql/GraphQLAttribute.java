package dev.cairn.query.transport.graphql;

import dev.cairn.model.Attribute;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/** A span, event, link or resource attribute with its OTLP type kept. */
@Name("Attribute")
public record GraphQLAttribute(@NonNull String key, @NonNull GraphQLAttributeValue value) {

  static GraphQLAttribute of(Attribute attribute) {
    return new GraphQLAttribute(attribute.key(), GraphQLAttributeValue.of(attribute.value()));
  }

  static List<GraphQLAttribute> of(List<Attribute> attributes) {
    return attributes.stream().map(GraphQLAttribute::of).toList();
  }

  @Description("The value as text, whatever its type, for display")
  @NonNull
  public String getText() {
    return value.getText();
  }
}
