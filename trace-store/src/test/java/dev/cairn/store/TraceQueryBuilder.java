package dev.cairn.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test queries built field by field, so that each test names only the criteria it is about. */
public final class TraceQueryBuilder {

  private Optional<String> service = Optional.empty();
  private Optional<String> operation = Optional.empty();
  private final List<TraceQuery.TagFilter> tags = new ArrayList<>();
  private Optional<Duration> minDuration = Optional.empty();
  private Optional<Duration> maxDuration = Optional.empty();
  private boolean errorsOnly;
  private Instant start;
  private Instant end;
  private int limit = 20;
  private Optional<SearchCursor> after = Optional.empty();

  private TraceQueryBuilder(Instant start, Instant end) {
    this.start = start;
    this.end = end;
  }

  /** No criteria but the time range [start, end); limit 20. */
  public static TraceQueryBuilder between(Instant start, Instant end) {
    return new TraceQueryBuilder(start, end);
  }

  /** Every field of {@code query}, to change some. */
  public static TraceQueryBuilder from(TraceQuery query) {
    TraceQueryBuilder b = new TraceQueryBuilder(query.start(), query.end());
    b.service = query.service();
    b.operation = query.operation();
    b.tags.addAll(query.tags());
    b.minDuration = query.minDuration();
    b.maxDuration = query.maxDuration();
    b.errorsOnly = query.errorsOnly();
    b.limit = query.limit();
    b.after = query.after();
    return b;
  }

  public TraceQueryBuilder service(String name) {
    service = Optional.of(name);
    return this;
  }

  public TraceQueryBuilder operation(String name) {
    operation = Optional.of(name);
    return this;
  }

  /** Adds a tag filter to those already there (they are ANDed). */
  public TraceQueryBuilder tag(String key, String value) {
    tags.add(new TraceQuery.TagFilter(key, value));
    return this;
  }

  /** Either may be null: no bound. */
  public TraceQueryBuilder durations(Duration min, Duration max) {
    minDuration = Optional.ofNullable(min);
    maxDuration = Optional.ofNullable(max);
    return this;
  }

  public TraceQueryBuilder errorsOnly() {
    errorsOnly = true;
    return this;
  }

  public TraceQueryBuilder window(Instant start, Instant end) {
    this.start = start;
    this.end = end;
    return this;
  }

  public TraceQueryBuilder limit(int limit) {
    this.limit = limit;
    return this;
  }

  public TraceQueryBuilder after(Optional<SearchCursor> cursor) {
    after = cursor;
    return this;
  }

  public TraceQuery build() {
    return new TraceQuery(
        service,
        operation,
        List.copyOf(tags),
        minDuration,
        maxDuration,
        errorsOnly,
        start,
        end,
        limit,
        after);
  }
}
