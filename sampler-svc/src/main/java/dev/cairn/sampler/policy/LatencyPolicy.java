package dev.cairn.sampler.policy;

import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A slow trace is kept, with extended retention: the whole trace longer than the global threshold
 * (earliest start to latest end), or any span of a listed service, or of a listed operation, longer
 * than that one's threshold.
 */
public final class LatencyPolicy implements TracePolicy {

  private final Optional<SamplingDecision> keep;
  private final long globalNanos;
  private final Map<String, Long> serviceNanos;
  private final Map<OperationKey, Long> operationNanos;

  /**
   * @param global the trace-wide threshold, or null for none
   */
  public LatencyPolicy(
      String name,
      Duration global,
      Map<String, Duration> byService,
      Map<OperationKey, Duration> byOperation) {
    this.keep = Optional.of(SamplingDecision.keep(name, RetentionClass.EXTENDED));
    this.globalNanos = global == null ? Long.MAX_VALUE : global.toNanos();
    this.serviceNanos = nanos(byService);
    this.operationNanos = nanos(byOperation);
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    if (trace.durationNanos() > globalNanos) {
      return keep;
    }
    if (serviceNanos.isEmpty() && operationNanos.isEmpty()) {
      return Optional.empty();
    }
    boolean slow =
        trace.anySpan(
            (service, resource, span) -> {
              long duration = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
              Long byService = serviceNanos.get(service);
              if (byService != null && duration > byService) {
                return true;
              }
              Long byOperation =
                  operationNanos.isEmpty()
                      ? null
                      : operationNanos.get(new OperationKey(service, span.getName()));
              return byOperation != null && duration > byOperation;
            });
    return slow ? keep : Optional.empty();
  }

  private static <K> Map<K, Long> nanos(Map<K, Duration> thresholds) {
    Map<K, Long> out = new HashMap<>();
    thresholds.forEach((key, value) -> out.put(key, value.toNanos()));
    return Map.copyOf(out);
  }
}
