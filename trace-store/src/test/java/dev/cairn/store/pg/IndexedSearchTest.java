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

  /** A found trace: its start. */
  private record Found(long startNanos) {}

  private static IndexedSearch<Found> search(int wanted) {
    return new IndexedSearch<>(
        FLOOR,
        TOP,
        REACH,
        wanted,
        200,
        Found::startNanos,
        Comparator.comparingLong(Found::startNanos).reversed());
  }

  private static long nanos(Instant at) {
    return PgTraceReader.unixNano(at);
  }

  @Test
  void theFirstSliceIsTheLastHourAndWhatMayStartAfterTheTop() {
    IndexedSearch<Found> search = search(3);
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(1)));
    assertThat(search.to().toInstant()).isEqualTo(TOP.plus(REACH));
    assertThat(search.rowLimit()).isEqualTo(200);
  }

  @Test
  void slicesGrowFourfoldOlderUntilTheFloor() {
    IndexedSearch<Found> search = search(3);
    assertThat(search.accept(List.of())).isFalse();
    search.next();
    assertThat(search.to().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(1)));
    assertThat(search.from().toInstant()).isEqualTo(TOP.minus(Duration.ofHours(5)));
    for (int i = 0; i < 3; i++) {
      assertThat(search.accept(List.of())).isFalse();
      search.next();
    }
    assertThat(search.from()).as("never before the floor").isEqualTo(FLOOR);
    assertThat(search.accept(List.of())).as("the floor reached: complete").isTrue();
    assertThat(search.result()).isEmpty();
  }

  @Test
  void stopsOnlyWhenEnoughAcceptedTracesStartAtOrAfterTheSlicesRead() {
    IndexedSearch<Found> search = search(2);
    Instant from = search.from().toInstant();
    Found inside = new Found(nanos(from.plusSeconds(10)));
    // found through a segment inside the slice, but starting before it: an unseen trace may come
    // first
    Found earlier = new Found(nanos(from.minusSeconds(10)));
    assertThat(search.accept(List.of(inside, earlier))).isFalse();
    search.next();
    Found older = new Found(nanos(from.minusSeconds(5)));
    assertThat(search.accept(List.of(older))).isTrue();
    assertThat(search.result()).containsExactly(inside, older);
  }

  @Test
  void aFullSliceIsReadAgainNarrowerAndTheNarrowestWhole() {
    IndexedSearch<Found> search = search(2);
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
            Found::startNanos,
            Comparator.comparingLong(Found::startNanos));
    assertThat(search.to().getYear()).isEqualTo(9999);
  }
}
