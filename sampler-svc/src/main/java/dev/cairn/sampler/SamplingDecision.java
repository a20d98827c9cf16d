package dev.cairn.sampler;

import dev.cairn.model.wire.RetentionClass;
import java.util.Objects;

/**
 * What the tail policies decided for a trace; every span of the trace, late ones included, follows
 * it.
 *
 * @param keep whether the spans go on to {@code cairn.spans.sampled}
 * @param reason why: the deciding policy's name, written to the {@code cairn-sampling-reason}
 *     header and used as a metric tag (so a bounded set of values)
 * @param retention the retention class of kept spans ({@code cairn-retention})
 * @param probability the consistent-sampling probability a kept trace was sampled with: below 1,
 *     each kept span's tracestate gets the matching {@code ot=th} so that its adjusted count stays
 *     right; 1 when the trace is kept as it is (its spans pass byte for byte)
 */
public record SamplingDecision(
    boolean keep, String reason, RetentionClass retention, double probability) {

  public SamplingDecision {
    Objects.requireNonNull(reason);
    Objects.requireNonNull(retention);
    if (!(probability > 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
    }
  }

  /** Kept as it is, e.g. for an error: spans unchanged. */
  public static SamplingDecision keep(String reason, RetentionClass retention) {
    return new SamplingDecision(true, reason, retention, 1.0);
  }

  /** Kept by a consistent sampler of this probability: {@code th} written below 1. */
  public static SamplingDecision sampled(String reason, double probability) {
    return new SamplingDecision(true, reason, RetentionClass.STANDARD, probability);
  }

  public static SamplingDecision drop(String reason) {
    return new SamplingDecision(false, reason, RetentionClass.STANDARD, 1.0);
  }

  /** True when kept spans get a new {@code th} in their tracestate. */
  public boolean rewritesTraceState() {
    return keep && probability < 1.0;
  }
}
