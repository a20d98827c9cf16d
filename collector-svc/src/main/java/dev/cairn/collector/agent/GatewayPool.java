package dev.cairn.collector.agent;

import dev.cairn.kafka.Backoff;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Which gateway the next export goes to: health-based failover. Healthy gateways take exports in
 * turn. A gateway whose export failed in a way a retry may cure (unreachable, timed out,
 * overloaded) is unhealthy and skipped for a backoff that grows with its failures in a row
 * (exponential, with jitter); when it is over, a single export probes it (others are not sent there
 * meanwhile) and its outcome makes the gateway healthy again or extends the backoff. Membership
 * follows name resolution ({@link #update}); a gateway that stays keeps its state. Thread-safe.
 */
public final class GatewayPool {

  /** A gateway's state. */
  private static final class Health {
    final Backoff backoff;
    boolean healthy = true;
    long unhealthyUntilNanos;
    boolean probing;

    Health(Backoff backoff) {
      this.backoff = backoff;
    }
  }

  /** How many gateways are in each state. */
  public record Counts(int healthy, int unhealthy) {}

  private final Supplier<Backoff> backoffs;
  private final LongSupplier nanoClock;
  private final Map<Gateway, Health> members = new LinkedHashMap<>();
  private int next;

  /**
   * @param backoffs a new backoff per gateway (its delays between probes)
   */
  public GatewayPool(Supplier<Backoff> backoffs, LongSupplier nanoClock) {
    this.backoffs = backoffs;
    this.nanoClock = nanoClock;
  }

  /**
   * Sets the members: new ones start healthy, gone ones are forgotten, the rest keep their state.
   */
  public synchronized void update(Collection<Gateway> gateways) {
    members.keySet().retainAll(gateways);
    for (Gateway gateway : gateways) {
      members.computeIfAbsent(gateway, g -> new Health(backoffs.get()));
    }
  }

  public synchronized List<Gateway> members() {
    return List.copyOf(members.keySet());
  }

  /**
   * The gateway for the next export, in turn among the healthy ones and those due for a probe;
   * empty when every gateway is unhealthy (or there is none).
   */
  public synchronized Optional<Gateway> choose() {
    List<Map.Entry<Gateway, Health>> all = new ArrayList<>(members.entrySet());
    long now = nanoClock.getAsLong();
    for (int i = 0; i < all.size(); i++) {
      Map.Entry<Gateway, Health> candidate = all.get((next + i) % all.size());
      Health health = candidate.getValue();
      if (health.healthy) {
        next = (next + i + 1) % all.size();
        return Optional.of(candidate.getKey());
      }
      if (!health.probing && now - health.unhealthyUntilNanos >= 0) {
        health.probing = true;
        next = (next + i + 1) % all.size();
        return Optional.of(candidate.getKey());
      }
    }
    return Optional.empty();
  }

  /** Nanoseconds until {@link #choose} may find a gateway again: 0 if now, MAX if never. */
  public synchronized long nanosUntilAvailable() {
    long now = nanoClock.getAsLong();
    long soonest = Long.MAX_VALUE;
    for (Health health : members.values()) {
      if (health.healthy) {
        return 0;
      }
      if (!health.probing) {
        soonest = Math.min(soonest, Math.max(0, health.unhealthyUntilNanos - now));
      }
    }
    return soonest;
  }

  /**
   * The gateway answered (whether or not it took the spans): healthy again.
   *
   * @return true if it was unhealthy before
   */
  public synchronized boolean succeeded(Gateway gateway) {
    Health health = members.get(gateway);
    if (health == null) {
      return false;
    }
    boolean recovered = !health.healthy;
    health.healthy = true;
    health.probing = false;
    health.backoff.reset();
    return recovered;
  }

  /**
   * An export to the gateway failed in a way a retry may cure: unhealthy for its next backoff.
   *
   * @return true if it was healthy before
   */
  public synchronized boolean failed(Gateway gateway) {
    Health health = members.get(gateway);
    if (health == null) {
      return false;
    }
    boolean wasHealthy = health.healthy;
    health.healthy = false;
    health.probing = false;
    health.unhealthyUntilNanos = nanoClock.getAsLong() + health.backoff.fail().toNanos();
    return wasHealthy;
  }

  public synchronized Counts counts() {
    int healthy = 0;
    for (Health health : members.values()) {
      if (health.healthy) {
        healthy++;
      }
    }
    return new Counts(healthy, members.size() - healthy);
  }
}
