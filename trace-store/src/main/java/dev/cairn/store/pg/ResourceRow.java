package dev.cairn.store.pg;

import dev.cairn.model.Resource;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A resource as the {@code resources} table holds it, once for all the spans that refer to it.
 *
 * @param id the name-based UUID of {@code document}: the same resource gets the same id from every
 *     writer, with no round trip to the database
 * @param document the typed jsonb document ({@link AttributeJson#resource})
 * @param tags the scalar attributes as the flat text map tag search matches
 */
record ResourceRow(UUID id, String document, String tags) {

  static ResourceRow of(Resource resource) {
    String document = AttributeJson.resource(resource);
    return new ResourceRow(
        UUID.nameUUIDFromBytes(document.getBytes(StandardCharsets.UTF_8)),
        document,
        AttributeJson.tags(resource.attributes()));
  }
}
