package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.Skew;
import dev.cairn.loadgen.generate.Topology;
import java.util.SplittableRandom;

/** A small fleet and plans over it, for the bulk loader's tests. */
final class BulkFixtures {

  static final long HOUR = 3_600_000_000_000L;
  static final long END = 1_796_241_078_000_000_000L;
  static final GeneratorConfig CONFIG = new GeneratorConfig(40, 5, 2, 4, 3, 60, 10, 0.02);
  static final Skew SKEW = new Skew(1.1, 100_000);
  static final Topology TOPOLOGY = Topology.create(CONFIG, new SplittableRandom(7));

  private BulkFixtures() {}

  static BulkPlan plan(long spans, long hours, long seed) {
    return BulkPlan.evenly(spans, END - hours * HOUR, END, seed);
  }

  static SliceTraces slices(BulkPlan plan) {
    return new SliceTraces(plan, CONFIG, TOPOLOGY, SKEW);
  }
}
