package dev.cairn.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A trace search. Criteria are ANDed; a trace matches when one of its spans matches the service,
 * operation, tag and duration criteria together, its start lies in [{@code start}, {@code end}),
 * and, with {@code errorsOnly}, it has at least one span with error status.
 *
 * @param after the cursor returned with the previous page, empty for the first page
 */
public record TraceQuery(
    Optional<String> service,
    Optional<String> operation,
    List<TagFilter> tags,
    Optional<Duration> minDuration,
    Optional<Duration> maxDuration,
    boolean errorsOnly,
    Instant start,
    Instant end,
    int limit,
    Optional<SearchCursor> after) {

  public static final int MAX_LIMIT = 1000;

  public TraceQuery {
    tags = List.copyOf(tags);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start must be before end");
    }
  }

  /** A span attribute that must equal {@code value} (compared as text, whatever its type). */
  public record TagFilter(String key, String value) {}
}
