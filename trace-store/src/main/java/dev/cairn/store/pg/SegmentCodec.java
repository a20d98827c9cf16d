package dev.cairn.store.pg;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A segment's payload: its spans as one OTLP TracesData message (the encoding the pipeline already
 * uses, so every field survives), compressed with zstd, with a {@link SegmentDictionary} once the
 * writer has trained one. The zstd frame records its decompressed size and the id of the dictionary
 * it needs (none in the V6 payloads, which therefore still decode as they are).
 */
final class SegmentCodec {

  /** zstd's default level: measured as the best size per CPU for segments of a few kB. */
  static final int LEVEL = 3;

  /** A payload that claims to decompress to more than this is refused as corrupt. */
  static final long MAX_DECOMPRESSED_BYTES = 256L << 20;

  /** The dictionary id of a frame compressed without a dictionary. */
  static final int NO_DICTIONARY = 0;

  private SegmentCodec() {}

  /** The segment's uncompressed payload: as its spans arrived when known, else encoded. */
  static byte[] raw(Segment segment) {
    return segment.encoded() != null ? segment.encoded() : raw(segment.spans());
  }

  /** The uncompressed payload: what {@link #compress} takes and a dictionary is trained on. */
  static byte[] raw(List<Span> spans) {
    return TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans));
  }

  /**
   * @param dictionary null to compress without one
   */
  static byte[] compress(byte[] raw, SegmentDictionary dictionary) {
    return dictionary == null
        ? Zstd.compress(raw, LEVEL)
        : Zstd.compress(raw, dictionary.compressor());
  }

  /**
   * {@link #compress} of each, through one zstd context: a context made for every payload (as
   * {@code Zstd.compress} does) cost a third of the compression's CPU (docs/benchmarks.md, section
   * 2); its output is the same.
   *
   * @param dictionary null to compress without one
   */
  static byte[][] compressAll(List<byte[]> raw, SegmentDictionary dictionary) {
    byte[][] payloads = new byte[raw.size()][];
    try (ZstdCompressCtx context = new ZstdCompressCtx()) {
      context.setLevel(LEVEL);
      if (dictionary != null) {
        context.loadDict(dictionary.compressor());
      }
      // one output buffer for the batch, as large as the largest bound (the context's own
      // compress(byte[]) allocates one per payload: a sixth of the writer threads' allocation)
      long bound = 0;
      for (byte[] payload : raw) {
        bound = Math.max(bound, Zstd.compressBound(payload.length));
      }
      byte[] out = new byte[Math.toIntExact(bound)];
      for (int i = 0; i < payloads.length; i++) {
        byte[] in = raw.get(i);
        int size = context.compressByteArray(out, 0, out.length, in, 0, in.length);
        payloads[i] = Arrays.copyOf(out, size);
      }
    }
    return payloads;
  }

  static byte[] encode(List<Span> spans, SegmentDictionary dictionary) {
    return compress(raw(spans), dictionary);
  }

  /** The id of the dictionary the payload needs, {@link #NO_DICTIONARY} when none. */
  static int dictionaryId(byte[] payload) {
    return (int) Zstd.getDictIdFromFrame(payload);
  }

  /**
   * @param dictionaries the dictionary of an id, null when unknown
   * @throws IllegalStateException when the payload is not a segment this codec wrote, or needs a
   *     dictionary {@code dictionaries} does not know
   */
  static List<Span> decode(byte[] payload, IntFunction<SegmentDictionary> dictionaries) {
    byte[] raw = decompress(payload, dictionaries);
    try {
      return OtlpSpanMapper.toSpans(TraceWireCodec.decode(raw));
    } catch (MalformedRecordException | IllegalArgumentException e) {
      throw new IllegalStateException("segment payload does not decode: " + e.getMessage(), e);
    }
  }

  /**
   * The payload's OTLP TracesData bytes, as {@link #raw} made them.
   *
   * @throws IllegalStateException as {@link #decode}
   */
  static byte[] decompress(byte[] payload, IntFunction<SegmentDictionary> dictionaries) {
    long size = Zstd.getFrameContentSize(payload);
    if (size < 0 || size > MAX_DECOMPRESSED_BYTES) {
      throw new IllegalStateException("segment payload is not a zstd frame of known size");
    }
    int id = dictionaryId(payload);
    if (id == NO_DICTIONARY) {
      return Zstd.decompress(payload, Math.toIntExact(size));
    }
    SegmentDictionary dictionary = dictionaries.apply(id);
    if (dictionary == null) {
      throw new IllegalStateException("segment payload needs unknown zstd dictionary " + id);
    }
    return Zstd.decompress(payload, dictionary.decompressor(), Math.toIntExact(size));
  }
}
