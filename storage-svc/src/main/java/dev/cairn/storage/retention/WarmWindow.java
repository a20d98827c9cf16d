package dev.cairn.storage.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which chunks of a segment table warm compaction may work on at a time: those that end at or
 * before {@code now - warmAfter} (no batch of an ordinary trace writes into them any more) and
 * after both the previous run's watermark (the end of the last chunk it finished) and the class's
 * retention cut-off (retention drops those anyway). Pure.
 *
 * @param after chunks must end after this
 * @param until chunks must end at or before this
 */
public record WarmWindow(Instant after, Instant until) {

  /**
   * @return empty when no chunk can qualify (the window is empty)
   */
  public static Optional<WarmWindow> of(
      Instant now, Duration warmAfter, Duration period, Optional<Instant> watermark) {
    Instant until = now.minus(warmAfter);
    Instant expired = now.minus(period);
    Instant after = watermark.filter(w -> w.isAfter(expired)).orElse(expired);
    return after.isBefore(until) ? Optional.of(new WarmWindow(after, until)) : Optional.empty();
  }
}
