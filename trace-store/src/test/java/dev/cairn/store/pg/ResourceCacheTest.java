package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.StoreTestSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResourceCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final ResourceCache cache = new ResourceCache(2, Duration.ofNanos(100), now::get);
  private final ResourceRow a = ResourceRow.of(StoreTestSpans.resource("a"));
  private final ResourceRow b = ResourceRow.of(StoreTestSpans.resource("b"));
  private final ResourceRow c = ResourceRow.of(StoreTestSpans.resource("c"));

  @Test
  void writtenResourcesAreSkippedUntilTheyAreDueForRefresh() {
    assertThat(cache.toWrite(List.of(a, b))).containsExactly(a, b);
    cache.written(List.of(a));
    assertThat(cache.toWrite(List.of(a, b))).containsExactly(b);
    now.addAndGet(99);
    assertThat(cache.toWrite(List.of(a))).isEmpty();
    now.addAndGet(1);
    assertThat(cache.toWrite(List.of(a))).as("last_seen is due for a refresh").containsExactly(a);
  }

  @Test
  void theLeastRecentlyUsedIsForgottenBeyondTheBound() {
    cache.written(List.of(a, b));
    assertThat(cache.toWrite(List.of(a))).isEmpty(); // a used after b
    cache.written(List.of(c));
    assertThat(cache.toWrite(List.of(a, b, c))).containsExactly(b);
  }
}
