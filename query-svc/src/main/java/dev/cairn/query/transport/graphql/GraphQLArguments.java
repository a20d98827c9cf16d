package dev.cairn.query.transport.graphql;

import dev.cairn.query.InvalidParameterException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * GraphQL arguments handed to the REST parameter parsers ({@code SearchRequestParser}, {@code
 * MetricsRequestParser}), so both APIs apply the same bounds and messages. Where a GraphQL argument
 * has another name than the REST parameter ({@code first} for {@code limit}), a refusal names the
 * GraphQL argument the caller wrote.
 */
final class GraphQLArguments {

  private final Map<String, List<String>> parameters = new LinkedHashMap<>();
  private final Map<String, String> graphQLNames = new LinkedHashMap<>();

  /** Adds {@code value} under the REST parameter name unless it is null. */
  GraphQLArguments put(String parameter, String value) {
    return put(parameter, parameter, value);
  }

  /** Adds {@code value} under the REST {@code parameter} for the GraphQL {@code argument}. */
  GraphQLArguments put(String parameter, String argument, String value) {
    if (value != null) {
      parameters.put(parameter, List.of(value));
      graphQLNames.put(parameter, argument);
    }
    return this;
  }

  /** Adds every value of a list argument unless it is null. */
  GraphQLArguments putAll(String parameter, List<String> values) {
    if (values != null && !values.isEmpty()) {
      parameters.put(parameter, List.copyOf(values));
      graphQLNames.put(parameter, parameter);
    }
    return this;
  }

  /** Parses the parameters; a refusal names the GraphQL argument instead of the REST parameter. */
  <T> T parse(Function<Map<String, List<String>>, T> parser) {
    try {
      return parser.apply(parameters);
    } catch (InvalidParameterException e) {
      String argument = graphQLNames.get(e.parameter());
      if (argument == null || argument.equals(e.parameter())) {
        throw e;
      }
      throw new InvalidParameterException(argument, e.reason());
    }
  }
}
