package dev.cairn.sampler.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.SamplingDecision;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DecisionLogRecordTest {

  @Test
  void roundTripsEveryDecisionAndTrace() {
    Map<TraceId, SamplingDecision> decisions = new HashMap<>();
    decisions.put(new TraceId(1, 2), SamplingDecision.keep("error", RetentionClass.EXTENDED));
    decisions.put(new TraceId(-1, -2), SamplingDecision.sampled("base_rate", 0.01));
    decisions.put(new TraceId(3, 4), SamplingDecision.drop("base_rate"));
    decisions.put(new TraceId(5, 6), SamplingDecision.drop("base_rate"));
    DecisionLogRecord record = new DecisionLogRecord("cairn.spans.ingested", 5, 1234, decisions);

    byte[] encoded = record.encode();

    assertThat(DecisionLogRecord.decode(encoded)).isEqualTo(record);
    assertThat(encoded.length).as("about 20 bytes a trace").isLessThan(60 + 4 * 20 + 3 * 30);
    assertThat(new String(record.key())).isEqualTo("5");
  }

  @Test
  void somethingElseIsRefused() {
    assertThatThrownBy(() -> DecisionLogRecord.decode(new byte[] {9, 9, 9}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionLogRecord.decode(new byte[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCommitMarkerCarriesTheLogPointerOrNothing() {
    assertThat(CommitMarker.parse(CommitMarker.format(3, OptionalLong.of(77))))
        .contains(new CommitMarker.LogPointer(3, 77));
    assertThat(CommitMarker.parse(CommitMarker.format(3, OptionalLong.empty()))).isEmpty();
    assertThat(CommitMarker.parse(null)).isEmpty();
    assertThat(CommitMarker.parse("")).isEqualTo(Optional.empty());
    assertThat(CommitMarker.parse("something else log=1@2")).isEmpty();
  }
}
