package dev.cairn.loadgen.generate;

import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Endless supply of export requests of about {@code batchSize} spans, made of freshly finished
 * traces. Not thread-safe: one per sending thread.
 */
public final class BatchSource {

  private final TraceGenerator generator;
  private final BatchAssembler assembler;
  private final LongSupplier epochNanos;
  private final RandomGenerator random;
  private final double traceSampleRatio;
  private GeneratedTrace carried;

  /**
   * @param epochNanos wall clock in nanoseconds since the epoch; generated traces end at its value
   * @param traceSampleRatio share of traces reported in {@link ExportBatch#sampled()}
   */
  public BatchSource(
      TraceGenerator generator,
      int batchSize,
      LongSupplier epochNanos,
      RandomGenerator random,
      double traceSampleRatio) {
    this.generator = generator;
    this.assembler = new BatchAssembler(batchSize);
    this.epochNanos = epochNanos;
    this.random = random;
    this.traceSampleRatio = traceSampleRatio;
  }

  public ExportBatch next() {
    while (!assembler.isFull()) {
      GeneratedTrace trace = carried != null ? carried : generator.next(epochNanos.getAsLong());
      carried = null;
      if (!assembler.fits(trace)) {
        carried = trace;
        break;
      }
      assembler.add(trace, traceSampleRatio > 0 && random.nextDouble() < traceSampleRatio);
    }
    return assembler.drain();
  }
}
