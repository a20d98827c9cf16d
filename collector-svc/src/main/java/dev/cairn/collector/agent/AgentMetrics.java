package dev.cairn.collector.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's meters (Prometheus names): {@code cairn_collector_agent_queue_bytes} and {@code
 * cairn_collector_agent_queue_spans} (held, queued and in flight), {@code
 * cairn_collector_agent_queue_max_bytes}, {@code cairn_collector_agent_queued_bytes_total}, {@code
 * cairn_collector_agent_spans_dropped_total{reason}}, {@code
 * cairn_collector_agent_spans_sent_total}, {@code
 * cairn_collector_agent_exports_total{gateway,outcome}} ({@code outcome} = {@code sent}, {@code
 * retryable} or {@code refused}) and {@code cairn_collector_agent_gateways{state}}. Drop reasons
 * are registered up front so that they read 0 rather than being absent.
 */
public final class AgentMetrics {

  static final String SENT = "sent";
  static final String RETRYABLE = "retryable";
  static final String REFUSED = "refused";

  private static final System.Logger LOG = System.getLogger(AgentMetrics.class.getName());
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final MeterRegistry registry;
  private final Map<DropReason, AtomicLong> lastWarned = new EnumMap<>(DropReason.class);
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Counter spansSent;
  private final Counter bytesQueued;

  public AgentMetrics(MeterRegistry registry, ForwardQueue queue, GatewayPool pool) {
    this.registry = registry;
    for (DropReason reason : DropReason.values()) {
      dropped.put(
          reason,
          Counter.builder("cairn.collector.agent.spans.dropped")
              .description("Spans the agent did not forward, by reason")
              .tag("reason", reason.tag())
              .register(registry));
      lastWarned.put(reason, new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS));
    }
    spansSent =
        Counter.builder("cairn.collector.agent.spans.sent")
            .description("Spans a gateway accepted")
            .register(registry);
    bytesQueued =
        Counter.builder("cairn.collector.agent.queued")
            .description("Serialized bytes queued (spans/s x bytes per span sizes the queue)")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder("cairn.collector.agent.queue.bytes", queue, ForwardQueue::bytes)
        .description("Serialized bytes held for the gateways, queued and in flight")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("cairn.collector.agent.queue.spans", queue, ForwardQueue::spans)
        .description("Spans held for the gateways, queued and in flight")
        .register(registry);
    Gauge.builder("cairn.collector.agent.queue.max", queue, ForwardQueue::maxBytes)
        .description("The queue's bound (cairn.collector.agent.queue.max-bytes)")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("cairn.collector.agent.gateways", pool, p -> p.counts().healthy())
        .description("Gateways by state")
        .tag("state", "healthy")
        .register(registry);
    Gauge.builder("cairn.collector.agent.gateways", pool, p -> p.counts().unhealthy())
        .description("Gateways by state")
        .tag("state", "unhealthy")
        .register(registry);
  }

  /**
   * Counts dropped spans; a warning says why at most every ten seconds per reason (the counter has
   * every one). Head sampling is the agent's job, not a loss: counted, never logged.
   */
  public void dropped(DropReason reason, long spans, String why) {
    if (spans <= 0) {
      return;
    }
    dropped.get(reason).increment(spans);
    if (reason == DropReason.HEAD_SAMPLING) {
      return;
    }
    AtomicLong last = lastWarned.get(reason);
    long now = System.nanoTime();
    long before = last.get();
    if (now - before >= WARN_EVERY_NANOS && last.compareAndSet(before, now)) {
      LOG.log(Level.WARNING, "dropped " + spans + " spans (" + reason.tag() + "): " + why);
    }
  }

  void queued(long bytes) {
    bytesQueued.increment(bytes);
  }

  void sent(Gateway gateway, long spans) {
    export(gateway, SENT);
    spansSent.increment(spans);
  }

  void failed(Gateway gateway, boolean retryable) {
    export(gateway, retryable ? RETRYABLE : REFUSED);
  }

  private void export(Gateway gateway, String outcome) {
    Counter.builder("cairn.collector.agent.exports")
        .description("Exports to a gateway, by outcome")
        .tag("gateway", gateway.toString())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
