package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanRecordDecoderTest {

  private static byte[] encoded(List<Span> spans) {
    return TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans));
  }

  @Test
  void decodesSpansWithTheirRetention() {
    List<Span> spans = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L);
    byte[] value = encoded(spans);
    SpanRecordDecoder.Result result = SpanRecordDecoder.decode(value, "extended");
    // the record value too, which the store keeps as the spans' encoding
    assertThat(result)
        .isEqualTo(
            new SpanRecordDecoder.Decoded(
                new SpanRecord(RetentionClass.EXTENDED, spans, false, value)));
  }

  @Test
  void absentOrUnknownRetentionIsStandard() {
    List<Span> spans = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L);
    byte[] value = encoded(spans);
    assertThat(SpanRecordDecoder.decode(value, null))
        .isEqualTo(
            new SpanRecordDecoder.Decoded(
                new SpanRecord(RetentionClass.STANDARD, spans, false, value)));
    assertThat(SpanRecordDecoder.decode(value, "forever"))
        .isEqualTo(
            new SpanRecordDecoder.Decoded(
                new SpanRecord(RetentionClass.STANDARD, spans, false, value)));
  }

  @Test
  void onlyALateSpanHeaderOfTrueMarksTheRecordLate() {
    List<Span> spans = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L);
    byte[] value = encoded(spans);
    assertThat(SpanRecordDecoder.decode(value, "extended", "true"))
        .isEqualTo(
            new SpanRecordDecoder.Decoded(
                new SpanRecord(RetentionClass.EXTENDED, spans, true, value)));
    for (String notLate : new String[] {null, "false", "yes"}) {
      assertThat(SpanRecordDecoder.decode(value, null, notLate))
          .isEqualTo(
              new SpanRecordDecoder.Decoded(
                  new SpanRecord(RetentionClass.STANDARD, spans, false, value)));
    }
  }

  @Test
  void rejectsWithAReason() {
    assertThat(SpanRecordDecoder.decode(new byte[] {(byte) 0xff, 1}, null))
        .isInstanceOfSatisfying(
            SpanRecordDecoder.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(SpanRecordDecoder.Rejection.MALFORMED_PROTOBUF));
    assertThat(SpanRecordDecoder.decode(new byte[0], null))
        .isInstanceOfSatisfying(
            SpanRecordDecoder.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(SpanRecordDecoder.Rejection.EMPTY));
    List<Span> zeroId = SpanFixtures.threeServiceTrace(new TraceId(0, 0), 1_000L);
    assertThat(SpanRecordDecoder.decode(encoded(zeroId), null))
        .isInstanceOfSatisfying(
            SpanRecordDecoder.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(SpanRecordDecoder.Rejection.INVALID_SPAN));
  }
}
