package dev.cairn.query.transport.graphql;

import dev.cairn.model.SpanKind;
import dev.cairn.store.Operation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/** A span name as one service records it, with its kind. */
@Name("Operation")
public record GraphQLOperation(@NonNull String name, @NonNull SpanKind spanKind) {

  static GraphQLOperation of(Operation operation) {
    return new GraphQLOperation(operation.name(), operation.kind());
  }
}
