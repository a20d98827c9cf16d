package dev.cairn.store.pg;

/**
 * {@link Double#toString(double)}, remembered for recently seen values. Java 17's conversion is
 * slow (a fifth of the writer's CPU on the bulk loader's spans, docs/benchmarks.md section 2), and
 * the doubles of span attributes repeat (ratios, rounded measures, configuration values), while
 * every span's tags are turned into text for its search terms and for a search's recheck. A
 * direct-mapped table of immutable entries: a value that is not in its slot is converted and takes
 * the slot; threads racing on a slot each see an entry that is whole (final fields), right or not
 * theirs. Bounded: {@link #SLOTS} entries.
 */
final class DoubleText {

  static final int SLOTS = 4_096;

  private record Entry(long bits, String text) {}

  private static final Entry[] ENTRIES = new Entry[SLOTS];

  private DoubleText() {}

  /** Exactly {@code Double.toString(value)}. */
  static String of(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int slot = slot(bits);
    Entry entry = ENTRIES[slot];
    if (entry != null && entry.bits() == bits) {
      return entry.text();
    }
    String text = Double.toString(value);
    ENTRIES[slot] = new Entry(bits, text);
    return text;
  }

  /** A Fibonacci hash of the bits: the top 12 bits of their product with 2^64 / φ. */
  static int slot(long bits) {
    return (int) ((bits * 0x9E3779B97F4A7C15L) >>> 52);
  }
}
