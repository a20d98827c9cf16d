package dev.cairn.store.pg;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entry beyond {@code maxSize}; not thread-safe. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {

  private final int maxSize;

  LruMap(int maxSize) {
    super(16, 0.75f, true);
    this.maxSize = maxSize;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > maxSize;
  }
}
