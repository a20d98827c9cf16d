package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.model.wire.RetentionClass;

/**
 * The retention class the sampler's error and latency policies would give a trace: extended for a
 * trace with an error or longer than the slow threshold, standard otherwise. Pure.
 */
public record RetentionRule(long slowNanos) {

  public RetentionClass classify(GeneratedTrace trace) {
    return trace.hasError() || trace.durationNanos() > slowNanos
        ? RetentionClass.EXTENDED
        : RetentionClass.STANDARD;
  }
}
