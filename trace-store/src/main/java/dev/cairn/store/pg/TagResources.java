package dev.cairn.store.pg;

import dev.cairn.model.Resource;
import dev.cairn.store.TraceQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The stored resources whose attributes match each tag filter of a search, looked up (in the small
 * {@code resources} table) before the search itself, so that the search states them as constants.
 *
 * <p>Why not a sub-query in the search: with {@code s.tags @> tag OR s.resource_id = ANY (ARRAY(
 * SELECT ...))} PostgreSQL cannot see how few resources match and filters every span of the service
 * instead of combining the tag and resource indexes: 3.7 s against 0.4 s for a tag that matches
 * nothing, over 16 M spans (docs/benchmarks.md, section 3).
 */
record TagResources(Map<TraceQuery.TagFilter, List<UUID>> matches) {

  /** More matching resources than this are left to a sub-query instead of a constant array. */
  static final int MAX_IDS = 1000;

  static final TagResources NONE = new TagResources(Map.of());

  /**
   * Per filter (by its position, from 1), up to {@link #MAX_IDS} + 1 matching resources; with a
   * service ($3), only resources naming it (a superset of those whose spans have that service: the
   * exact test is {@link #of}'s).
   */
  static final String LOOKUP =
      "SELECT f.n, r.resource_id, r.resource::text AS resource"
          + " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS f(k, v, n)"
          + " CROSS JOIN LATERAL (SELECT resource_id, resource FROM resources"
          + " WHERE tags @> jsonb_build_object(f.k, f.v)"
          + " AND ($3::text IS NULL OR tags @> jsonb_build_object('service.name', $3::text))"
          + " LIMIT "
          + (MAX_IDS + 1)
          + ") r";

  /** One row of {@link #LOOKUP}. */
  record Match(long position, UUID id, String resource) {}

  /**
   * The ids found for {@code tags}; with a service, only resources whose spans have that service (a
   * span's service is its resource's, {@link dev.cairn.model.Resource#serviceName}), because a
   * resource of another service can never match and would only widen the search.
   */
  static TagResources of(
      List<TraceQuery.TagFilter> tags, List<Match> rows, Optional<String> service) {
    Map<TraceQuery.TagFilter, List<UUID>> matches = new HashMap<>();
    for (Match row : rows) {
      if (service.isPresent()
          && !AttributeJson.readResource(row.resource()).serviceName().equals(service.get())) {
        continue;
      }
      TraceQuery.TagFilter tag = tags.get((int) row.position() - 1);
      matches.computeIfAbsent(tag, t -> new ArrayList<>()).add(row.id());
    }
    return new TagResources(matches);
  }

  /** The service a lookup narrows to: none for the fallback name, which no attribute holds. */
  static String lookupService(Optional<String> service) {
    return service.filter(name -> !name.equals(Resource.UNKNOWN_SERVICE)).orElse(null);
  }

  /** The matching resources; empty when the tag can only be a span attribute. */
  List<UUID> of(TraceQuery.TagFilter tag) {
    return matches.getOrDefault(tag, List.of());
  }

  boolean tooMany(TraceQuery.TagFilter tag) {
    return of(tag).size() > MAX_IDS;
  }

  boolean any() {
    return !matches.isEmpty();
  }
}
