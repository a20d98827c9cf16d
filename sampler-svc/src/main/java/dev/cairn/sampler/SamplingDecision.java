package dev.cairn.sampler;

import dev.cairn.model.wire.RetentionClass;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a {@link SamplingPolicy} decided for a trace.
 *
 * @param keep whether the spans go on to {@code cairn.spans.sampled}
 * @param reason why, as written to the {@code cairn-sampling-reason} header and metric tags
 * @param retention the retention class of kept spans
 * @param traceStateUpdate a rewrite of each kept span's tracestate (e.g. to record the sampling
 *     threshold); empty when spans pass unchanged, so that their bytes need no re-encoding
 */
public record SamplingDecision(
    boolean keep,
    String reason,
    RetentionClass retention,
    Optional<UnaryOperator<String>> traceStateUpdate) {

  public SamplingDecision {
    Objects.requireNonNull(reason);
    Objects.requireNonNull(retention);
    Objects.requireNonNull(traceStateUpdate);
  }

  public static SamplingDecision keep(
      String reason, RetentionClass retention, Optional<UnaryOperator<String>> traceStateUpdate) {
    return new SamplingDecision(true, reason, retention, traceStateUpdate);
  }

  public static SamplingDecision drop(String reason) {
    return new SamplingDecision(false, reason, RetentionClass.STANDARD, Optional.empty());
  }
}
