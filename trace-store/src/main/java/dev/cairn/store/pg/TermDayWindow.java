package dev.cairn.store.pg;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Where an index-driven search ({@link IndexedSearch}) can find its matches, by the term-day
 * catalog (migration V11): a segment holding every required term starts on a day the catalog lists
 * for each of them, or on a day before the catalog's {@code since}, which it does not cover. So the
 * search's floor can rise to the first such day, and both its end (no matching segment starts at or
 * after it) and its top (no matching trace starts at or after it) fall to the end of the last one:
 * a trace starts no later than its matching segment. No such day at all is an empty answer. Pure:
 * the reader reads the catalog.
 */
final class TermDayWindow {

  private static final Duration DAY = Duration.ofDays(1);

  /**
   * The floor and the end of the segment starts to read, and the top of the trace starts.
   *
   * @param end at or after {@code top}
   */
  record Bounds(OffsetDateTime floor, Instant top, Instant end) {}

  private TermDayWindow() {}

  /** The first day the catalog is asked about: the UTC day of the floor. */
  static OffsetDateTime firstDayAsked(OffsetDateTime floor) {
    return dayOf(floor.toInstant()).atOffset(ZoneOffset.UTC);
  }

  /**
   * @param floor no matching segment starts before it
   * @param top no matching trace starts at or after it
   * @param end no matching segment starts at or after it (the top plus the search's reach)
   * @param since the first day the catalog covers (null when it has no such record: none)
   * @param firstDay the first day from {@link #firstDayAsked} to {@code end} that holds every
   *     required term by the catalog, empty when none does
   * @param lastDay the last such day
   * @return empty when no segment can match
   */
  static Optional<Bounds> narrowed(
      OffsetDateTime floor,
      Instant top,
      Instant end,
      Instant since,
      Optional<Instant> firstDay,
      Optional<Instant> lastDay) {
    Instant from = null;
    Instant to = null;
    Instant covered = since == null ? Instant.MAX : since;
    if (floor.toInstant().isBefore(covered)) {
      // days the catalog does not cover may hold anything
      from = floor.toInstant();
      to = covered.isBefore(end) ? covered : end;
    }
    if (firstDay.isPresent() && lastDay.isPresent()) {
      Instant dayEnd = lastDay.get().plus(DAY);
      from = from == null || firstDay.get().isBefore(from) ? firstDay.get() : from;
      to = to == null || dayEnd.isAfter(to) ? dayEnd : to;
    }
    if (from == null) {
      return Optional.empty();
    }
    OffsetDateTime narrowedFloor =
        from.isAfter(floor.toInstant()) ? from.atOffset(ZoneOffset.UTC) : floor;
    Instant narrowedTop = to.isBefore(top) ? to : top;
    Instant narrowedEnd = to.isBefore(end) ? to : end;
    return Optional.of(
        new Bounds(
            narrowedFloor,
            narrowedTop,
            narrowedEnd.isBefore(narrowedTop) ? narrowedTop : narrowedEnd));
  }

  private static Instant dayOf(Instant at) {
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 86_400L) * 86_400L);
  }
}
