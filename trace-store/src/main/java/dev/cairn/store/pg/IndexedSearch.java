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
 * The decisions of a search driven by the segments' term index: the matching segments are read in
 * time slices, newest first, the traces they name are fetched by id and rechecked, and the search
 * stops once {@code wanted} accepted traces start at or after the lower bound of the slices read.
 * That stop is exact: a trace not seen yet has all its matching segments before that bound, and a
 * trace starts no later than any of its segments, so no unseen trace can come before an accepted
 * one that starts at or after it.
 *
 * <p>The first slice is the late one: segments from the top (the query's end or cursor) to {@code
 * reach} after it, which can only matter for traces that start before the top and last past it.
 * Then slices back from the top, {@value #FIRST_SLICE_MINUTES} minutes first. A slice reads at most
 * {@code cap} segments: one that fills it is read again four times narrower ({@link #narrow}); one
 * that does not is taken whole, and the next is wider by what its density promises (half the cap
 * expected, at least four times wider; the whole rest of the window after an empty one). So an
 * empty result costs one GIN lookup per chunk of the window in two or three statements, a rare one
 * the same plus its few traces, and a common one a few slices of at most {@code cap} segments. A
 * full late slice means common matches just after the top (a later page of a common search): the
 * reader then probes the newest candidates instead, or, asked to ({@code wholeLateSlice}), reads it
 * whole.
 *
 * <p>No slice spans the start of the duration terms ({@code durationTermsFrom}): a slice that would
 * is cut there, so that each is read by one rule ({@link #durationTerms}).
 *
 * <p>Not thread-safe: one per search. Pure: the reader runs the statements.
 *
 * @param <R> an accepted summary row
 */
final class IndexedSearch<R> {

  static final long FIRST_SLICE_MINUTES = 60;
  private static final int GROWTH = 4;

  /** Below this width a slice is read whole whatever it holds (segment starts are microseconds). */
  private static final Duration NARROWEST = Duration.ofMillis(1);

  private static final Duration WIDEST = Duration.ofDays(4_000_000);

  private final OffsetDateTime floor;
  private final OffsetDateTime durationTermsFrom;
  private final Instant top;
  private final int wanted;
  private final long cap;
  private final boolean wholeLateSlice;
  private final ToLongFunction<R> startNanos;
  private final Comparator<R> searchOrder;
  private final Set<UUID> seen = new HashSet<>();
  private final List<R> accepted = new ArrayList<>();
  private OffsetDateTime upper;
  private OffsetDateTime lower;
  private boolean late = true;
  private Duration width = Duration.ofMinutes(FIRST_SLICE_MINUTES);

  /**
   * @param floor the earliest segment start that can match (the query's start, floored as the
   *     partition column)
   * @param top no matching trace starts at or after it (the query's end, or its cursor)
   * @param reach how much later than its trace's start a segment may start (the writer's summary
   *     window, twice: before and after the summary's partition time)
   * @param wanted traces to find
   * @param cap segments a slice reads before it is narrowed
   * @param wholeLateSlice read the late slice whole instead of saying it is full
   * @param durationTermsFrom every segment starting at or after it holds duration terms
   * @param startNanos a row's trace start, {@code start_unix_nano}
   * @param searchOrder newest first (start desc, trace id desc)
   */
  IndexedSearch(
      OffsetDateTime floor,
      Instant top,
      Duration reach,
      int wanted,
      long cap,
      boolean wholeLateSlice,
      OffsetDateTime durationTermsFrom,
      ToLongFunction<R> startNanos,
      Comparator<R> searchOrder) {
    this.floor = floor;
    this.top = top;
    this.wanted = wanted;
    this.cap = cap;
    this.wholeLateSlice = wholeLateSlice;
    this.durationTermsFrom = durationTermsFrom;
    this.startNanos = startNanos;
    this.searchOrder = searchOrder;
    this.upper = shifted(top, reach);
    this.lower = cut(max(floor, shifted(top, Duration.ZERO)));
  }

  /** No matching segment starts before it. */
  OffsetDateTime floor() {
    return floor;
  }

  /** No matching trace starts at or after it. */
  Instant top() {
    return top;
  }

  /** The first segment start of the slice to read now (inclusive). */
  OffsetDateTime from() {
    return lower;
  }

  /** The segment start the slice to read now ends before. */
  OffsetDateTime to() {
    return upper;
  }

  /** Whether every segment of the slice to read now holds duration terms. */
  boolean durationTerms() {
    return !lower.isBefore(durationTermsFrom);
  }

  /** Whether the slice to read now is the late one, after the top. */
  boolean late() {
    return late;
  }

  /** The most segment rows to read for this slice; reading that many means it was not whole. */
  long rowLimit() {
    boolean whole = late ? wholeLateSlice : width.compareTo(NARROWEST) <= 0;
    return whole ? Long.MAX_VALUE : cap;
  }

  /** The slice (not the late one) held {@link #rowLimit} rows: read again four times narrower. */
  void narrow() {
    if (late) {
      throw new IllegalStateException("the late slice is read whole or not at all");
    }
    width = width.dividedBy(GROWTH);
    lower = cut(max(floor, shifted(upper.toInstant(), width.negated())));
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

  /** Moves to the next, older slice, after one that held {@code rowsRead} segments. */
  void next(int rowsRead) {
    if (!late) {
      double factor = rowsRead == 0 ? Double.MAX_VALUE : Math.max(GROWTH, cap / 2.0 / rowsRead);
      double millis = Math.min(WIDEST.toMillis(), width.toMillis() * factor);
      width = Duration.ofMillis((long) millis);
    }
    late = false;
    upper = lower;
    lower = cut(max(floor, shifted(upper.toInstant(), width.negated())));
  }

  /** {@code from}, or the start of the duration terms when it lies inside (from, upper). */
  private OffsetDateTime cut(OffsetDateTime from) {
    return from.isBefore(durationTermsFrom) && durationTermsFrom.isBefore(upper)
        ? durationTermsFrom
        : from;
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
