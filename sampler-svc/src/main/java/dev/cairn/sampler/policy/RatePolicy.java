package dev.cairn.sampler.policy;

import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-service and per-operation sampling rates for the traces these services start: the rate of the
 * root's operation if listed, else of the root's service if listed, applied by the consistent
 * sampler (a pure function of the trace id, as the base rate), so replicas agree and kept spans
 * carry their adjusted count. Traces of other roots are left to the next policy.
 */
public final class RatePolicy implements TracePolicy {

  private final Map<String, ConsistentProbability> byService;
  private final Map<OperationKey, ConsistentProbability> byOperation;

  public RatePolicy(
      String name, Map<String, Double> serviceRates, Map<OperationKey, Double> operationRates) {
    this.byService = probabilities(name, serviceRates);
    this.byOperation = probabilities(name, operationRates);
  }

  @Override
  public Optional<SamplingDecision> evaluate(AssembledTrace trace) {
    ConsistentProbability probability =
        byOperation.isEmpty()
            ? null
            : byOperation.get(new OperationKey(trace.rootService(), trace.rootOperation()));
    if (probability == null) {
      probability = byService.get(trace.rootService());
    }
    return probability == null ? Optional.empty() : Optional.of(probability.decide(trace));
  }

  private static <K> Map<K, ConsistentProbability> probabilities(
      String name, Map<K, Double> rates) {
    Map<K, ConsistentProbability> out = new HashMap<>();
    rates.forEach((key, rate) -> out.put(key, new ConsistentProbability(name, rate)));
    return Map.copyOf(out);
  }
}
