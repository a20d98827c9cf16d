package dev.cairn.loadgen.bulk;

import java.util.List;

/**
 * The end of a bulk load.
 *
 * @param totals what was written
 * @param samples the sampled traces, by slice (so, by time)
 */
public record BulkResult(BulkProgress totals, List<SampleTrace> samples) {

  public BulkResult {
    samples = List.copyOf(samples);
  }
}
