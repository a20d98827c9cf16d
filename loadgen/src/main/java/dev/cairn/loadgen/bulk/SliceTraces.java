package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.ReseedableRandom;
import dev.cairn.loadgen.generate.Skew;
import dev.cairn.loadgen.generate.Topology;
import dev.cairn.loadgen.generate.TraceGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates the traces of one slice of a {@link BulkPlan} at a time, one trace after another (never
 * the whole slice in memory): traces ending at uniformly random times inside the slice, until the
 * slice's span share is reached. The traces of slice {@code j} are the same whichever thread, and
 * whichever instance, generates them. Pure; not thread-safe (one per thread).
 */
public final class SliceTraces {

  private final BulkPlan plan;
  private final ReseedableRandom random;
  private final TraceGenerator generator;

  public SliceTraces(BulkPlan plan, GeneratorConfig config, Topology topology, Skew skew) {
    this.plan = plan;
    this.random = new ReseedableRandom(plan.seed());
    this.generator = new TraceGenerator(config, topology, random, skew);
  }

  /** Hands every trace of {@code slice} to {@code sink}, in generation order. */
  public void generate(int slice, Consumer<GeneratedTrace> sink) {
    random.reseed(plan.sliceSeed(slice));
    long start = plan.sliceStart(slice);
    long length = plan.sliceEnd(slice) - start;
    long budget = plan.spansOf(slice);
    long spans = 0;
    while (spans < budget) {
      GeneratedTrace trace = generator.next(start + random.nextLong(length));
      spans += trace.spanCount();
      sink.accept(trace);
    }
  }

  /** Every trace of {@code slice}, for tests and for looking one up again. */
  public List<GeneratedTrace> all(int slice) {
    List<GeneratedTrace> traces = new ArrayList<>();
    generate(slice, traces::add);
    return traces;
  }
}
