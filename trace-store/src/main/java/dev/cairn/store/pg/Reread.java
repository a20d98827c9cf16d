package dev.cairn.store.pg;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A value a reader loads from the store and keeps for at most {@code period} before it loads it
 * again: the store's search settings that writers change rarely and only with a grace period longer
 * than that ({@link StoredStopTerms}, {@link StoredDurationTerms}). Thread-safe; two searches that
 * find the value stale at once both load it.
 *
 * @param <T> the value
 */
final class Reread<T> {

  private record Snapshot<T>(T value, long readAt) {}

  private final Duration period;
  private final LongSupplier nanoTime;
  private final Function<Pool, Uni<T>> load;
  private volatile Snapshot<T> last;

  Reread(Duration period, LongSupplier nanoTime, Function<Pool, Uni<T>> load) {
    this.period = period;
    this.nanoTime = nanoTime;
    this.load = load;
  }

  /** The value, loaded through {@code pool} when none was read in the last {@code period}. */
  Uni<T> get(Pool pool) {
    Snapshot<T> known = last;
    long now = nanoTime.getAsLong();
    if (known != null && now - known.readAt() < period.toNanos()) {
      return Uni.createFrom().item(known.value());
    }
    return load.apply(pool)
        .invoke(
            value -> {
              last = new Snapshot<>(value, now);
            });
  }
}
