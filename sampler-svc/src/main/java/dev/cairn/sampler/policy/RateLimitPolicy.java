package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.Ticker;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most so many traces a second started by a listed service ({@link TokenBucket} per service,
 * burst of one second's worth): a trace within the limit is kept, one over it dropped; traces of
 * other services are left to the next policy. A limit holds per sampler replica, and unlike every
 * other policy its decision depends on when the trace completes, not only on the trace; kept spans
 * carry no {@code th} (their adjusted count is not known).
 */
public final class RateLimitPolicy implements TracePolicy {

  private final Map<String, TokenBucket> buckets;
  private final Optional<SamplingDecision> keep;
  private final Optional<SamplingDecision> drop;

  public RateLimitPolicy(String name, Map<String, Double> tracesPerSecond, Ticker ticker) {
    Map<String, TokenBucket> byService = new HashMap<>();
    tracesPerSecond.forEach(
        (service, rate) ->
            byService.put(service, new TokenBucket(rate, Math.max(1.0, rate), ticker)));
    this.buckets = Map.copyOf(byService);
    this.keep = Optional.of(SamplingDecision.keep(name, RetentionClass.STANDARD));
    this.drop = Optional.of(SamplingDecision.drop(name));
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    TokenBucket bucket = buckets.get(trace.rootService());
    if (bucket == null) {
      return Optional.empty();
    }
    return bucket.tryTake() ? keep : drop;
  }
}
