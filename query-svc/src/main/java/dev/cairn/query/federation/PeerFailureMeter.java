package dev.cairn.query.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Counts region calls that gave no answer: {@code
 * cairn_query_federation_peer_failures_total{region, reason}} on /q/metrics (the peers, and this
 * region's own store, which gives a partial answer too), every region and reason registered at 0
 * from the start so that a rate can be alerted on before the first failure.
 */
public final class PeerFailureMeter implements PeerFailureListener {

  private static final Logger LOG = Logger.getLogger(PeerFailureMeter.class);

  private final Map<String, Map<PeerFailure, Counter>> counters = new HashMap<>();

  public PeerFailureMeter(MeterRegistry registry, Collection<String> regions) {
    for (String region : regions) {
      Map<PeerFailure, Counter> byReason = new EnumMap<>(PeerFailure.class);
      for (PeerFailure reason : PeerFailure.values()) {
        byReason.put(
            reason,
            Counter.builder("cairn.query.federation.peer.failures")
                .tag("region", region)
                .tag("reason", reason.label())
                .description("Region calls that gave no answer, by region and reason")
                .register(registry));
      }
      counters.put(region, byReason);
    }
  }

  @Override
  public void failed(String region, PeerFailure reason, Throwable cause) {
    Map<PeerFailure, Counter> byReason = counters.get(region);
    if (byReason != null) {
      byReason.get(reason).increment();
    }
    // Counted per call; a region that is down fails every request, so the log stays at debug.
    LOG.debugf(cause, "peer region %s gave no answer (%s)", region, reason.label());
  }
}
