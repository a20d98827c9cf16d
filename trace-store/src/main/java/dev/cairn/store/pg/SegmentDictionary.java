package dev.cairn.store.pg;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdDictTrainer;
import java.util.Arrays;
import java.util.List;

/**
 * A zstd dictionary trained on segment payloads (uncompressed OTLP of a few traces). Segments of
 * one deployment share most of their bytes (attribute keys, service names, resource attributes),
 * which a few kB segment alone cannot exploit: with a dictionary zstd stores about half as many
 * bytes per span, and compresses faster (docs/benchmarks.md section 2).
 *
 * <p>Its {@link #id} is the one zstd writes into every frame compressed with it (derived from the
 * dictionary's content by the trainer), so a payload names the dictionary it needs. Immutable; the
 * native compression and decompression tables are built once and shared by all threads.
 */
final class SegmentDictionary {

  /** Size of a trained dictionary: 64 kB measured ~7 % smaller payloads than 32 kB, 112 kB ~1 %. */
  static final int DICTIONARY_BYTES = 64 << 10;

  private final int id;
  private final byte[] bytes;
  private volatile ZstdDictCompress compressor;
  private volatile ZstdDictDecompress decompressor;

  SegmentDictionary(byte[] bytes) {
    long id = Zstd.getDictIdFromDict(bytes);
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a zstd dictionary with an id");
    }
    this.id = (int) id;
    this.bytes = bytes.clone();
  }

  /**
   * Trains a dictionary on raw segment payloads.
   *
   * @throws IllegalArgumentException when zstd cannot train on these samples (too few, too small)
   */
  static SegmentDictionary train(List<byte[]> samples) {
    long total = samples.stream().mapToLong(s -> s.length).sum();
    ZstdDictTrainer trainer =
        new ZstdDictTrainer(Math.toIntExact(Math.min(Integer.MAX_VALUE, total)), DICTIONARY_BYTES);
    samples.forEach(trainer::addSample);
    try {
      return new SegmentDictionary(trainer.trainSamples());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("zstd could not train a dictionary: " + e.getMessage(), e);
    }
  }

  int id() {
    return id;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  boolean sameBytes(byte[] other) {
    return Arrays.equals(bytes, other);
  }

  ZstdDictCompress compressor() {
    ZstdDictCompress c = compressor;
    if (c == null) {
      c = new ZstdDictCompress(bytes, SegmentCodec.LEVEL);
      compressor = c;
    }
    return c;
  }

  ZstdDictDecompress decompressor() {
    ZstdDictDecompress d = decompressor;
    if (d == null) {
      d = new ZstdDictDecompress(bytes);
      decompressor = d;
    }
    return d;
  }
}
