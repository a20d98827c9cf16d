package dev.cairn.store.pg;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The decisions of a search driven by the segments' term index, for matches too rare for the probe
 * ({@link SearchSql#probe}): the segments are read newest first in time slices that grow fourfold
 * ({@value #FIRST_SLICE_MINUTES} minutes first), the traces they name are fetched by id and
 * rechecked, and the search stops once {@code wanted} accepted traces start at or after the lower
 * bound of the slices read. That stop is exact: a trace not seen yet has all its matching segments
 * before that bound, and a trace starts no later than any of its segments, so no unseen trace can
 * come before an accepted one that starts at or after it.
 *
 * <p>An empty result costs one GIN lookup per chunk of the window (and of the slices before it); a
 * rare one the same plus its few traces. Not thread-safe: one per search. Pure: the reader runs the
 * statements.
 *
 * @param <R> an accepted summary row
 */
final class IndexedSearch<R> {

  static final long FIRST_SLICE_MINUTES = 60;
  private static final int GROWTH = 4;

  /** Below this width a slice is read whole whatever it holds (segment starts are microseconds). */
  private static final Duration NARROWEST = Duration.ofMillis(1);

  private final OffsetDateTime floor;
  private final int wanted;
  private final long cap;
  private final ToLongFunction<R> startNanos;
  private final Comparator<R> searchOrder;
  private final Set<UUID> seen = new HashSet<>();
  private final List<R> accepted = new ArrayList<>();
  private OffsetDateTime upper;
  // where the slice's width is measured back from: the top for the first (whose upper bound reaches
  // past it, to the late segments of traces starting before it), the upper bound for the others
  private Instant base;
  private OffsetDateTime lower;
  private Duration width = Duration.ofMinutes(FIRST_SLICE_MINUTES);

  /**
   * @param floor the earliest segment start that can match (the query's start, floored as the
   *     partition column)
   * @param top no matching trace starts at or after it (the query's end, or its cursor)
   * @param reach how much later than its trace's start a segment may start (the writer's summary
   *     window, twice: before and after the summary's partition time)
   * @param wanted traces to find
   * @param cap segments a slice reads before it is narrowed
   * @param startNanos a row's trace start, {@code start_unix_nano}
   * @param searchOrder newest first (start desc, trace id desc)
   */
  IndexedSearch(
      OffsetDateTime floor,
      Instant top,
      Duration reach,
      int wanted,
      long cap,
      ToLongFunction<R> startNanos,
      Comparator<R> searchOrder) {
    this.floor = floor;
    this.wanted = wanted;
    this.cap = cap;
    this.startNanos = startNanos;
    this.searchOrder = searchOrder;
    this.upper = shifted(top, reach);
    this.base = top;
    this.lower = max(floor, shifted(top, width.negated()));
  }

  /** The first segment start of the slice to read now (inclusive). */
  OffsetDateTime from() {
    return lower;
  }

  /** The segment start the slice to read now ends before. */
  OffsetDateTime to() {
    return upper;
  }

  /** The most segment rows to read for this slice; reading that many means it was not whole. */
  long rowLimit() {
    return width.compareTo(NARROWEST) <= 0 ? Long.MAX_VALUE : cap;
  }

  /** The slice held more than {@link #rowLimit}: the same upper bound, four times narrower. */
  void narrow() {
    width = width.dividedBy(GROWTH);
    lower = max(floor, shifted(base, width.negated()));
  }

  /** Of the trace ids the slice's segments named, those not seen before (now seen). */
  List<UUID> unseen(Collection<UUID> traceIds) {
    List<UUID> fresh = new ArrayList<>();
    for (UUID id : traceIds) {
      if (seen.add(id)) {
        fresh.add(id);
      }
    }
    return fresh;
  }

  /** Adds the slice's accepted rows; true when the answer is complete. */
  boolean accept(List<R> rows) {
    accepted.addAll(rows);
    if (!lower.isAfter(floor)) {
      return true;
    }
    long bound = PgTraceReader.unixNano(lower.toInstant());
    long settled = accepted.stream().filter(r -> startNanos.applyAsLong(r) >= bound).count();
    return settled >= wanted;
  }

  /** Moves to the next, older and wider, slice. */
  void next() {
    upper = lower;
    base = lower.toInstant();
    width = width.multipliedBy(GROWTH);
    lower = max(floor, shifted(base, width.negated()));
  }

  /** The answer: at most {@code wanted} accepted rows, in search order. */
  List<R> result() {
    return accepted.stream().sorted(searchOrder).limit(wanted).toList();
  }

  /** {@code at + by}, within the years a timestamptz parameter can carry. */
  private static OffsetDateTime shifted(Instant at, Duration by) {
    Instant min = Instant.parse("0001-01-01T00:00:00Z");
    Instant max = Instant.parse("9999-12-31T00:00:00Z");
    Instant moved;
    try {
      moved = at.plus(by);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      moved = by.isNegative() ? min : max;
    }
    Instant clamped = moved.isBefore(min) ? min : moved.isAfter(max) ? max : moved;
    return clamped.atOffset(ZoneOffset.UTC);
  }

  private static OffsetDateTime max(OffsetDateTime a, OffsetDateTime b) {
    return a.isAfter(b) ? a : b;
  }
}
