package dev.cairn.query.trace;

/**
 * The clock-skew adjustment of one span, computed at read time; raw timestamps are never changed.
 *
 * @param appliedNanos added to the span's start and end (and its events' times) to get its adjusted
 *     times; 0 when not adjusted
 * @param computedNanos the shift the adjuster computed for this span's clock; equals {@code
 *     appliedNanos} unless {@code reason} says it was not applied
 */
public record ClockSkew(long appliedNanos, long computedNanos, Reason reason) {

  public static final ClockSkew NONE = new ClockSkew(0, 0, Reason.NONE);

  public boolean adjusted() {
    return appliedNanos != 0;
  }

  public enum Reason {
    /** Not adjusted: a root, on its parent's host, or already inside its parent. */
    NONE,
    /** On another host than its parent and outside it: shifted into the parent. */
    SHIFTED_INTO_PARENT,
    /** On the same host as its parent, which was shifted: shifted by the same amount. */
    SHIFTED_WITH_PARENT,
    /** The computed shift is larger than the configured maximum: not applied, flagged. */
    EXCEEDS_MAX_ADJUSTMENT,
    /**
     * Outside its parent, but linked to it as follows-from (an asynchronous consumer): not
     * adjusted, as it may legitimately run after its producer ended.
     */
    ASYNC_NOT_ADJUSTED
  }
}
