package dev.cairn.loadgen.bulk;

import dev.cairn.loadgen.generate.GeneratedTrace;
import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Fills the trace store with a {@link BulkPlan}: {@code writers} threads each take the next slice
 * (oldest first), generate its traces and write them through the {@link SpanWriter} in batches of
 * at most {@code batchSize} spans per retention class, as storage-svc's lanes do. Whole traces
 * only: a trace never spans two batches. Memory stays bounded: per thread, one batch per class and
 * one trace.
 *
 * <p>A write failure stops every thread and {@link #run} throws it. The writer is idempotent and
 * the plan deterministic, so running the same plan again writes what is missing and duplicates
 * nothing.
 */
public final class BulkLoader {

  private final BulkPlan plan;
  private final Supplier<SliceTraces> generators;
  private final RetentionRule retention;
  private final SpanWriter writer;
  private final int writers;
  private final int batchSize;
  private final int sampleEvery;

  private final AtomicInteger nextSlice = new AtomicInteger();
  private final AtomicInteger slicesDone = new AtomicInteger();
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong traces = new AtomicLong();
  private final AtomicLong extendedSpans = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final ConcurrentLinkedQueue<SampleTrace> samples = new ConcurrentLinkedQueue<>();

  /**
   * @param generators makes one {@link SliceTraces} per thread
   * @param sampleEvery the first trace of every {@code sampleEvery}-th slice goes into {@link
   *     BulkResult#samples()}
   */
  public BulkLoader(
      BulkPlan plan,
      Supplier<SliceTraces> generators,
      RetentionRule retention,
      SpanWriter writer,
      int writers,
      int batchSize,
      int sampleEvery) {
    if (writers < 1 || batchSize < 1 || sampleEvery < 1) {
      throw new IllegalArgumentException("writers, batchSize and sampleEvery must be >= 1");
    }
    this.plan = plan;
    this.generators = generators;
    this.retention = retention;
    this.writer = writer;
    this.writers = writers;
    this.batchSize = batchSize;
    this.sampleEvery = sampleEvery;
  }

  /** Loads the whole plan; returns when every batch is committed. */
  public BulkResult run() throws InterruptedException {
    List<Thread> threads = new ArrayList<>(writers);
    for (int i = 0; i < writers; i++) {
      Thread thread = new Thread(this::work, "bulk-writer-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    List<SampleTrace> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparingInt(SampleTrace::slice));
    return new BulkResult(progress(), sorted);
  }

  public BulkProgress progress() {
    return new BulkProgress(
        spans.get(),
        traces.get(),
        extendedSpans.get(),
        batches.get(),
        slicesDone.get(),
        plan.slices());
  }

  private void work() {
    SliceTraces generator = generators.get();
    ModelSpans model = new ModelSpans();
    Map<RetentionClass, Batch> pending = new EnumMap<>(RetentionClass.class);
    for (RetentionClass c : RetentionClass.values()) {
      pending.put(c, new Batch(c));
    }
    try {
      for (int slice = nextSlice.getAndIncrement();
          slice < plan.slices() && failure.get() == null;
          slice = nextSlice.getAndIncrement()) {
        int current = slice;
        boolean[] first = {current % sampleEvery == 0};
        generator.generate(
            current,
            trace -> {
              RetentionClass c = retention.classify(trace);
              if (first[0]) {
                samples.add(SampleTrace.of(current, trace, c));
                first[0] = false;
              }
              Batch batch = pending.get(c);
              if (!batch.spans.isEmpty() && batch.spans.size() + trace.spanCount() > batchSize) {
                batch.flush();
              }
              batch.add(trace, model);
            });
        slicesDone.incrementAndGet();
      }
      for (Batch batch : pending.values()) {
        batch.flush();
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** The spans of whole traces waiting for one write. */
  private final class Batch {
    private final RetentionClass retentionClass;
    private final List<Span> spans = new ArrayList<>(batchSize);
    private int traceCount;

    private Batch(RetentionClass retentionClass) {
      this.retentionClass = retentionClass;
    }

    private void add(GeneratedTrace trace, ModelSpans model) {
      spans.addAll(model.of(trace));
      traceCount++;
    }

    private void flush() {
      if (spans.isEmpty() || failure.get() != null) {
        return;
      }
      writer.write(retentionClass, spans);
      BulkLoader.this.spans.addAndGet(spans.size());
      traces.addAndGet(traceCount);
      if (retentionClass == RetentionClass.EXTENDED) {
        extendedSpans.addAndGet(spans.size());
      }
      batches.incrementAndGet();
      spans.clear();
      traceCount = 0;
    }
  }
}
