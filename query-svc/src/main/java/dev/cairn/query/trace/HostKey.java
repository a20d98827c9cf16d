package dev.cairn.query.trace;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Resource;
import java.util.List;
import java.util.Optional;

/**
 * The clock a span was timed by: spans with the same key share a host clock, so no skew between
 * them is expected. The first non-empty resource attribute of {@code host.id}, {@code host.name},
 * {@code service.instance.id}; empty when none is set.
 */
final class HostKey {

  static final List<String> ATTRIBUTES = List.of("host.id", "host.name", "service.instance.id");

  private HostKey() {}

  static String of(Resource resource) {
    for (String key : ATTRIBUTES) {
      Optional<String> value =
          Attribute.find(resource.attributes(), key)
              .filter(AttributeValue.StringValue.class::isInstance)
              .map(v -> ((AttributeValue.StringValue) v).value())
              .filter(s -> !s.isEmpty());
      if (value.isPresent()) {
        // Prefixed so that a host.name never equals a service.instance.id by accident.
        return key + "=" + value.get();
      }
    }
    return "";
  }
}
