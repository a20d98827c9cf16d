package dev.cairn.store.pg;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Resources this writer stored (or refreshed) recently, so that a batch states only the others.
 *
 * <p>An entry expires after {@code refreshAfter}: the next batch that uses the resource writes it
 * again, which moves its {@code last_seen} forward, so that retention never removes a resource in
 * use. Bounded (least recently used evicted); a miss only costs an upsert of one small row.
 */
final class ResourceCache {

  private final long refreshAfterNanos;
  private final LongSupplier nanoTime;
  private final Map<UUID, Long> writtenAt;

  ResourceCache(int maxSize, Duration refreshAfter, LongSupplier nanoTime) {
    this.refreshAfterNanos = refreshAfter.toNanos();
    this.nanoTime = nanoTime;
    this.writtenAt = new LruMap<>(maxSize);
  }

  /** The resources not written, or not refreshed, within {@code refreshAfter}. */
  synchronized List<ResourceRow> toWrite(Collection<ResourceRow> resources) {
    long now = nanoTime.getAsLong();
    return resources.stream()
        .filter(
            resource -> {
              Long at = writtenAt.get(resource.id());
              return at == null || now - at >= refreshAfterNanos;
            })
        .toList();
  }

  /** Call only after the transaction that wrote them committed. */
  synchronized void written(Collection<ResourceRow> resources) {
    long now = nanoTime.getAsLong();
    resources.forEach(resource -> writtenAt.put(resource.id(), now));
  }
}
