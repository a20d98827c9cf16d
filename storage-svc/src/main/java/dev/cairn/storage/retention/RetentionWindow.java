package dev.cairn.storage.retention;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.RetentionTier;
import java.time.Instant;

/**
 * Whether a span may still be stored: a span that starts before its class's retention cut-off would
 * land in a chunk that retention drops (or already dropped, and would recreate only to drop it
 * again), so it is refused with reason {@link #EXPIRED} instead of being lost silently.
 */
public final class RetentionWindow {

  /** The refusal reason of a span older than its class keeps. */
  public static final String EXPIRED = "expired";

  private final RetentionPolicy policy;

  public RetentionWindow(RetentionPolicy policy) {
    this.policy = policy;
  }

  /**
   * True when a span of {@code retention} starting at {@code start} is within its class's period at
   * {@code now}: its chunk is not due for a drop.
   */
  public boolean admits(RetentionClass retention, Instant start, Instant now) {
    return !start.isBefore(now.minus(policy.period(RetentionTier.of(retention))));
  }
}
