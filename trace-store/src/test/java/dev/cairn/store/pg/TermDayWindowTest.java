package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TermDayWindowTest {

  private static final OffsetDateTime FLOOR = at("2026-11-25T10:00:00Z");
  private static final Instant TOP = Instant.parse("2026-12-02T10:00:00Z");
  private static final Instant END = Instant.parse("2026-12-04T10:00:00Z");
  private static final Instant COVERS_ALL = Instant.parse("-1000000000-01-01T00:00:00Z");

  @Test
  void noDayWithEveryTermInACoveredWindowIsAnEmptyAnswer() {
    assertThat(TermDayWindow.narrowed(FLOOR, TOP, END, COVERS_ALL, none(), none())).isEmpty();
  }

  @Test
  void theFloorRisesToTheFirstDayAndTheTopAndEndFallToTheEndOfTheLast() {
    assertThat(
            TermDayWindow.narrowed(
                FLOOR, TOP, END, COVERS_ALL, day("2026-11-27"), day("2026-11-28")))
        .contains(
            new TermDayWindow.Bounds(
                at("2026-11-27T00:00:00Z"),
                Instant.parse("2026-11-29T00:00:00Z"),
                Instant.parse("2026-11-29T00:00:00Z")));
  }

  @Test
  void boundsAreNeverWidened() {
    // the floor's own day and the days after the top hold the terms
    assertThat(
            TermDayWindow.narrowed(
                FLOOR, TOP, END, COVERS_ALL, day("2026-11-25"), day("2026-12-03")))
        .contains(new TermDayWindow.Bounds(FLOOR, TOP, Instant.parse("2026-12-04T00:00:00Z")));
  }

  @Test
  void daysBeforeTheCatalogsStartMayHoldAnything() {
    Instant since = Instant.parse("2026-11-28T00:00:00Z");
    assertThat(TermDayWindow.narrowed(FLOOR, TOP, END, since, none(), none()))
        .contains(new TermDayWindow.Bounds(FLOOR, since, since));
    assertThat(TermDayWindow.narrowed(FLOOR, TOP, END, since, day("2026-11-30"), day("2026-11-30")))
        .contains(
            new TermDayWindow.Bounds(
                FLOOR,
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z")));
  }

  @Test
  void withoutACatalogStartNothingIsNarrowed() {
    assertThat(TermDayWindow.narrowed(FLOOR, TOP, END, null, none(), none()))
        .contains(new TermDayWindow.Bounds(FLOOR, TOP, END));
  }

  @Test
  void theCatalogIsAskedFromTheFloorsDay() {
    assertThat(TermDayWindow.firstDayAsked(FLOOR)).isEqualTo(at("2026-11-25T00:00:00Z"));
  }

  private static Optional<Instant> none() {
    return Optional.empty();
  }

  private static Optional<Instant> day(String date) {
    return Optional.of(Instant.parse(date + "T00:00:00Z"));
  }

  private static OffsetDateTime at(String instant) {
    return Instant.parse(instant).atOffset(ZoneOffset.UTC);
  }
}
