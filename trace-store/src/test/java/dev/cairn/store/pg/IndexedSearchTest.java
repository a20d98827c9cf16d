package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IndexedSearchTest {

  private static final Instant TOP = Instant.parse("2026-12-02T12:00:00Z");
  private static final OffsetDateTime FLOOR =
      Instant.parse("2026-11-25T12:00:00Z").atOffset(ZoneOffset.UTC);
  private static final Duration REACH = Duration.ofDays(2);
  private static final OffsetDateTime ALWAYS = StoredDurationTerms.NEVER.withYear(1);

  /** A found trace: its start. */
  private record Found(long startNanos) {}

  private static IndexedSearch<Found> search(int wanted) {
    return search(wanted, false, ALWAYS);
  }

  private static IndexedSearch<Found> search(
      int wanted, boolean wholeLateSlice, OffsetDateTime durationTermsFrom) {
    return new IndexedSearch<>(
        FLOOR,
        TOP,
        REACH,
        wanted,
        200,
        wholeLateSlice,
        durationTermsFrom,
        Found::startNanos,
        Comparator.comparingLong(Found::startNanos).reversed());
  }

  private static long nanos(Instant at) {
    return PgTraceReader.unixNano(at);
  }

  @Test
  void theLateSliceFirstThenTheLastHour() {
    IndexedSearch<Found> search = search(3);
    assertThat(search.late()).isTrue();
    assertThat(search.from().toInstant()).isEqualTo(TOP);
    assertThat(search.to().toInstant()).isEqualTo(TOP.plus(REACH));
    assertThat(search.rowLimit()).isEqualTo(200);
    assertThat(search.accept(List.of())).isFalse();
    search.next(0);
    assertThat(search.late()).isFalse();
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(1)));
    assertThat(search.to().toInstant()).isEqualTo(TOP);
  }

  @Test
  void theLateSliceMayBeReadWhole() {
    IndexedSearch<Found> search = search(1, true, ALWAYS);
    assertThat(search.rowLimit()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void slicesGrowByTheirDensityUntilTheFloor() {
    IndexedSearch<Found> search = search(3);
    search.next(0); // past the late slice: the last hour
    assertThat(search.accept(List.of())).isFalse();
    search.next(50); // 50 of 200 read: four times wider
    assertThat(search.to().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(1)));
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(5)));
    assertThat(search.accept(List.of())).isFalse();
    search.next(2); // 2 of 200: fifty times wider (200 h), for about 100; but not before the floor
    assertThat(search.from()).isEqualTo(FLOOR);
    assertThat(search.accept(List.of())).as("the floor reached: complete").isTrue();
    assertThat(search.result()).isEmpty();
  }

  @Test
  void slicesGrowByTheirDensity() {
    IndexedSearch<Found> search = search(3);
    search.next(0);
    search.next(10); // 10 of 200: ten times wider, for about 100
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(11)));
  }

  @Test
  void anEmptySliceWidensToTheWholeRestOfTheWindow() {
    IndexedSearch<Found> search = search(3);
    search.next(0);
    search.next(0);
    assertThat(search.from()).isEqualTo(FLOOR);
  }

  @Test
  void stopsOnlyWhenEnoughAcceptedTracesStartAtOrAfterTheSlicesRead() {
    IndexedSearch<Found> search = search(2);
    search.next(0);
    Instant from = search.from().toInstant();
    Found inside = new Found(nanos(from.plusSeconds(10)));
    // found through a segment inside the slice, but starting before it: an unseen trace may come
    // first
    Found earlier = new Found(nanos(from.minusSeconds(10)));
    assertThat(search.accept(List.of(inside, earlier))).isFalse();
    search.next(100);
    Found older = new Found(nanos(from.minusSeconds(5)));
    assertThat(search.accept(List.of(older))).isTrue();
    assertThat(search.result()).containsExactly(inside, older);
  }

  @Test
  void aFullSliceIsReadAgainNarrowerAndTheNarrowestWhole() {
    IndexedSearch<Found> search = search(2);
    search.next(0);
    OffsetDateTime to = search.to();
    search.narrow();
    assertThat(search.to()).isEqualTo(to);
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofMinutes(15)));
    for (int i = 0; i < 20; i++) {
      search.narrow();
    }
    assertThat(search.rowLimit()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void eachTraceIsSeenOnce() {
    IndexedSearch<Found> search = search(2);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    assertThat(search.unseen(List.of(a, b))).containsExactly(a, b);
    assertThat(search.unseen(List.of(b, a))).isEmpty();
  }

  @Test
  void boundsBeyondTheTimestampRangeAreClamped() {
    IndexedSearch<Found> search =
        new IndexedSearch<>(
            FLOOR,
            Instant.MAX,
            REACH,
            1,
            10,
            false,
            ALWAYS,
            Found::startNanos,
            Comparator.comparingLong(Found::startNanos));
    assertThat(search.to().getYear()).isEqualTo(9999);
  }

  @Test
  void noSliceSpansTheStartOfTheDurationTerms() {
    OffsetDateTime since = TOP.minus(Duration.ofMinutes(30)).atOffset(ZoneOffset.UTC);
    IndexedSearch<Found> search = search(3, false, since);
    assertThat(search.durationTerms()).as("the late slice").isTrue();
    search.next(0);
    assertThat(search.from()).as("the last hour, cut").isEqualTo(since);
    assertThat(search.durationTerms()).isTrue();
    search.next(0);
    assertThat(search.to()).isEqualTo(since);
    assertThat(search.from()).isEqualTo(FLOOR);
    assertThat(search.durationTerms()).as("the segments before").isFalse();

    IndexedSearch<Found> always = search(3);
    always.next(0);
    assertThat(always.durationTerms()).as("since the first year").isTrue();
  }
}
