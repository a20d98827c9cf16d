package dev.cairn.store.pg;

import com.github.luben.zstd.Zstd;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.List;

/**
 * A segment's payload: its spans as one OTLP TracesData message (the encoding the pipeline already
 * uses, so every field survives), compressed with zstd. The frame records its decompressed size.
 */
final class SegmentCodec {

  /** zstd's default level: measured as the best size per CPU for segments of a few kB. */
  static final int LEVEL = 3;

  /** A payload that claims to decompress to more than this is refused as corrupt. */
  static final long MAX_DECOMPRESSED_BYTES = 256L << 20;

  private SegmentCodec() {}

  static byte[] encode(List<Span> spans) {
    return Zstd.compress(TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)), LEVEL);
  }

  /**
   * @throws IllegalStateException when the payload is not a segment this codec wrote
   */
  static List<Span> decode(byte[] payload) {
    long size = Zstd.getFrameContentSize(payload);
    if (size < 0 || size > MAX_DECOMPRESSED_BYTES) {
      throw new IllegalStateException("segment payload is not a zstd frame of known size");
    }
    try {
      return OtlpSpanMapper.toSpans(
          TraceWireCodec.decode(Zstd.decompress(payload, Math.toIntExact(size))));
    } catch (MalformedRecordException | IllegalArgumentException e) {
      throw new IllegalStateException("segment payload does not decode: " + e.getMessage(), e);
    }
  }
}
