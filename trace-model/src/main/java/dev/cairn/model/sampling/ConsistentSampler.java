package dev.cairn.model.sampling;

import dev.cairn.model.TraceId;

/**
 * Consistent probability sampling (OpenTelemetry OTEP 235, W3C Trace Context level 2): the decision
 * is a pure function of the trace id's lower 56 bits (or an explicit {@code ot=rv} in tracestate)
 * and the probability, so every agent and every sampler replica decides alike for a trace.
 *
 * <p>Arithmetic: randomness R and rejection threshold T are 56-bit integers; a span is kept iff
 * {@code R >= T}, with {@code T = round((1 - p) * 2^56)}. A threshold already in tracestate ({@code
 * ot=th:<hex>}, written by an upstream sampler) is honoured: the effective threshold is the larger
 * of the two, so a trace is never kept here that upstream would not have kept, and the {@code th}
 * written on kept spans lets downstream compute the adjusted count {@code 2^56 / (2^56 - T)}.
 * Malformed tracestate values are ignored, never thrown. Immutable and thread-safe.
 */
public final class ConsistentSampler {

  /** 2^56: the threshold that rejects everything (not representable as {@code th}). */
  public static final long NEVER_THRESHOLD = TraceStateOt.MAX;

  private final double probability;
  private final long threshold;

  private ConsistentSampler(double probability) {
    this.probability = probability;
    this.threshold = thresholdOf(probability);
  }

  public static ConsistentSampler withProbability(double probability) {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException("sampling probability must be in [0, 1]: " + probability);
    }
    return new ConsistentSampler(probability);
  }

  public double probability() {
    return probability;
  }

  /** This sampler's own rejection threshold T in [0, 2^56]; 2^56 (p = 0) keeps nothing. */
  public long threshold() {
    return threshold;
  }

  /** {@code round((1 - p) * 2^56)}, clamped to [0, 2^56]. */
  public static long thresholdOf(double probability) {
    long t = Math.round((1.0 - probability) * (double) TraceStateOt.MAX);
    return Math.max(0, Math.min(TraceStateOt.MAX, t));
  }

  /** Whether the trace is kept; {@code traceState} may be empty. */
  public boolean keeps(TraceId traceId, String traceState) {
    TraceStateOt ot = TraceStateOt.parse(traceState);
    long effective = effectiveThreshold(ot);
    return effective < TraceStateOt.MAX && randomness(traceId, ot) >= effective;
  }

  /**
   * The threshold a kept span is sampled with: the larger of this sampler's threshold and a valid
   * upstream {@code th} in {@code traceState}.
   */
  public long effectiveThreshold(String traceState) {
    return effectiveThreshold(TraceStateOt.parse(traceState));
  }

  /**
   * The tracestate to write on a span this sampler kept: {@code traceState} with the {@code ot}
   * entry's {@code th} set to the effective threshold (other {@code ot} sub-keys such as {@code
   * rv}, and other vendors' entries, kept; the updated {@code ot} entry moves to the front, as W3C
   * asks of a modified entry).
   *
   * @throws IllegalStateException when this sampler keeps nothing (p = 0)
   */
  public String traceStateForKept(String traceState) {
    long effective = effectiveThreshold(traceState);
    if (effective >= TraceStateOt.MAX) {
      throw new IllegalStateException("a sampler with probability 0 keeps no span");
    }
    return TraceStateOt.withThreshold(traceState, effective);
  }

  /**
   * The adjusted count of a span (how many spans it stands for): {@code 2^56 / (2^56 - T)} for the
   * {@code ot=th} in its tracestate, 1 when there is none or it is malformed (the span was not
   * sampled by a consistent sampler, as far as Cairn can tell).
   */
  public static double adjustedCount(String traceState) {
    TraceStateOt ot = TraceStateOt.parse(traceState);
    if (ot.threshold() < 0) {
      return 1.0;
    }
    return (double) TraceStateOt.MAX / (double) (TraceStateOt.MAX - ot.threshold());
  }

  /** The 56-bit randomness: {@code ot=rv} when present and valid, else the trace id's low bits. */
  public static long randomness(TraceId traceId, String traceState) {
    return randomness(traceId, TraceStateOt.parse(traceState));
  }

  /** Encodes a threshold as an {@code ot=th} value: 14 hex digits, trailing zeros removed. */
  public static String encodeThreshold(long threshold) {
    return TraceStateOt.encodeThreshold(threshold);
  }

  private long effectiveThreshold(TraceStateOt ot) {
    return Math.max(threshold, ot.threshold());
  }

  private static long randomness(TraceId traceId, TraceStateOt ot) {
    return ot.randomness() >= 0 ? ot.randomness() : traceId.low() & (TraceStateOt.MAX - 1);
  }
}
