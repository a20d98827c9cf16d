package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.fullSpan;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.cairn.model.Span;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCodecTest {

  private static final long START = 1_764_633_600_000_000_000L;

  /** Segments of a few traces, as the dictionary is trained on. */
  static List<List<Span>> traces(int count, int spansEach) {
    List<List<Span>> traces = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      TraceId id = randomTraceId();
      List<Span> spans = new ArrayList<>();
      for (int s = 0; s < spansEach; s++) {
        spans.add(fullSpan(id, "svc-" + (t % 7), START + t * 1_000_000_000L + s * 1_000L));
      }
      traces.add(spans);
    }
    return traces;
  }

  static SegmentDictionary trainedDictionary() {
    return SegmentDictionary.train(traces(200, 8).stream().map(SegmentCodec::raw).toList());
  }

  @Test
  void spansSurviveWithoutADictionary() {
    List<Span> spans = traces(1, 5).get(0);
    byte[] payload = SegmentCodec.encode(spans, null);
    assertThat(SegmentCodec.dictionaryId(payload)).isEqualTo(SegmentCodec.NO_DICTIONARY);
    assertThat(SegmentCodec.decode(payload, id -> null)).isEqualTo(spans);
  }

  @Test
  void spansSurviveWithADictionaryWhichThePayloadNames() {
    SegmentDictionary dictionary = trainedDictionary();
    List<Span> spans = traces(1, 5).get(0);
    byte[] payload = SegmentCodec.encode(spans, dictionary);
    assertThat(SegmentCodec.dictionaryId(payload)).isEqualTo(dictionary.id()).isNotZero();
    assertThat(SegmentCodec.decode(payload, id -> id == dictionary.id() ? dictionary : null))
        .isEqualTo(spans);
  }

  /** One context for a batch gives the frames a context per payload gives: same bytes. */
  @Test
  void aBatchCompressedThroughOneContextIsCompressedAsEachAlone() {
    SegmentDictionary dictionary = trainedDictionary();
    List<byte[]> raw = traces(20, 6).stream().map(SegmentCodec::raw).toList();
    for (SegmentDictionary each : java.util.Arrays.asList(null, dictionary)) {
      byte[][] batch = SegmentCodec.compressAll(raw, each);
      assertThat(batch.length).isEqualTo(raw.size());
      for (int i = 0; i < raw.size(); i++) {
        assertThat(batch[i]).isEqualTo(SegmentCodec.compress(raw.get(i), each));
        assertThat(SegmentCodec.decompress(batch[i], id -> dictionary)).isEqualTo(raw.get(i));
      }
    }
  }

  @Test
  void aDictionaryTrainedOnOtherTracesMakesPayloadsSmaller() {
    SegmentDictionary dictionary = trainedDictionary();
    long plain = 0;
    long withDictionary = 0;
    for (List<Span> trace : traces(50, 8)) {
      plain += SegmentCodec.encode(trace, null).length;
      withDictionary += SegmentCodec.encode(trace, dictionary).length;
    }
    assertThat(withDictionary).isLessThan(plain * 3 / 4);
  }

  @Test
  void aPayloadThatNeedsAnUnknownDictionaryIsRefusedWithItsId() {
    SegmentDictionary dictionary = trainedDictionary();
    byte[] payload = SegmentCodec.encode(traces(1, 2).get(0), dictionary);
    assertThatThrownBy(() -> SegmentCodec.decode(payload, id -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown zstd dictionary " + dictionary.id());
  }

  @Test
  void bytesThatAreNoSegmentAreRefused() {
    assertThatThrownBy(() -> SegmentCodec.decode(new byte[] {1, 2, 3}, id -> null))
        .isInstanceOf(IllegalStateException.class);
    byte[] notOtlp = Zstd.compress(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, 3);
    assertThatThrownBy(() -> SegmentCodec.decode(notOtlp, id -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not decode");
  }

  /**
   * A payload as the V6 writer stored it (main f4663a7: zstd level 3, no dictionary), written once
   * to a file: two spans using every field. It decodes losslessly: the spans encode back to the
   * very OTLP bytes the frame holds.
   */
  @Test
  void aV6PayloadOnDiskStillDecodesLosslessly() throws IOException {
    byte[] payload;
    try (InputStream in = getClass().getResourceAsStream("/segments/v6-zstd-no-dictionary.bin")) {
      payload = in.readAllBytes();
    }
    List<Span> spans = SegmentCodec.decode(payload, id -> null);
    assertThat(spans).hasSize(2);
    assertThat(spans).extracting(Span::serviceName).containsExactly("orders", "payments");
    assertThat(spans.get(0).traceId().toString()).isEqualTo("52e5a7b4cac8484b7eaf9e2163daa389");
    assertThat(spans.get(0).status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(0).events()).hasSize(2);
    assertThat(spans.get(0).links()).hasSize(1);
    byte[] raw = Zstd.decompress(payload, (int) Zstd.getFrameContentSize(payload));
    assertThat(SegmentCodec.raw(spans)).isEqualTo(raw);
  }
}
