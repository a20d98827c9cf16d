package dev.cairn.loadgen.bulk;

/**
 * Counts of a bulk load so far (or at its end).
 *
 * @param spans spans written (their batch committed)
 * @param traces traces whose spans were all written
 * @param extendedSpans of {@code spans}, those in the extended retention class
 * @param batches committed writes
 * @param slicesDone slices generated and written whole
 */
public record BulkProgress(
    long spans, long traces, long extendedSpans, long batches, int slicesDone, int slices) {}
