package dev.cairn.sampler.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.MalformedRecordException;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireScanTest {

  private final TraceId id = SpanFixtures.randomTraceId();
  private final List<Span> trace = SpanFixtures.threeServiceTrace(id, 1_000L);

  @Test
  void countsTheSpansAndFindsTheRootWithoutParsing() {
    byte[] value = OtlpSpanMapper.toTracesData(trace).toByteArray();

    assertThat(WireScan.scan(value)).isEqualTo(new WireScan.Result(5, true));
  }

  @Test
  void aRecordOfChildrenOnlyHasNoRoot() {
    byte[] value = OtlpSpanMapper.toTracesData(trace.subList(1, 5)).toByteArray();

    assertThat(WireScan.scan(value)).isEqualTo(new WireScan.Result(4, false));
  }

  @Test
  void anEmptyTracesDataHasNoSpans() {
    assertThat(WireScan.scan(TracesData.getDefaultInstance().toByteArray()))
        .isEqualTo(new WireScan.Result(0, false));
  }

  @Test
  void brokenFramingIsRefused() {
    byte[] value = OtlpSpanMapper.toTracesData(trace).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(value, value.length - 3);

    assertThatThrownBy(() -> WireScan.scan(truncated)).isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> WireScan.scan(new byte[] {-1, 9}))
        .isInstanceOf(MalformedRecordException.class);
  }
}
