package dev.cairn.store.pg;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Measurement, not a test (docs/benchmarks.md section 2): the writer's Java stages per span on one
 * thread, then zstd levels with a dictionary trained as the writer trains it. Input: the spans file
 * bench/storage-layout.sh exports.
 *
 * <pre>
 * java -cp trace-store/target/test-classes:&lt;after.cp&gt; dev.cairn.store.pg.WriterStageProbe spans.otlp
 * </pre>
 */
public final class WriterStageProbe {
  public static void main(String[] args) throws Exception {
    stages(args[0]);
    levels(args[0]);
  }

  static void stages(String file) throws Exception {
    List<Span> spans = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      TracesData d;
      while ((d = TracesData.parseDelimitedFrom(in)) != null)
        spans.addAll(OtlpSpanMapper.toSpans(d));
    }
    int batch = 2000, n = spans.size();
    List<List<Span>> batches = new ArrayList<>();
    for (int i = 0; i < n; i += batch) batches.add(spans.subList(i, Math.min(n, i + batch)));
    Map<String, List<Double>> t = new LinkedHashMap<>();
    SegmentDictionary dict = null;
    for (int round = 0; round < 12; round++) {
      long[] ns = new long[8];
      long sink = 0;
      for (List<Span> b : batches) {
        long a = System.nanoTime();
        List<Segment> segs = Segment.group(b, new BitSet());
        long c = System.nanoTime();
        ns[0] += c - a;
        List<byte[]> raw = new ArrayList<>();
        for (Segment s : segs)
          raw.add(TraceWireCodec.encode(OtlpSpanMapper.toTracesData(s.spans())));
        long d = System.nanoTime();
        ns[1] += d - c;
        if (dict == null) dict = SegmentDictionary.train(raw.size() >= 32 ? raw : raw);
        for (byte[] r : raw) sink += SegmentCodec.compress(r, dict).length;
        long e = System.nanoTime();
        ns[2] += e - d;
        for (byte[] r : raw) sink += SegmentCodec.compress(r, null).length;
        long f = System.nanoTime();
        ns[3] += f - e;
        for (Segment s : segs) sink += SearchTerms.of(s.spans()).length;
        long g = System.nanoTime();
        ns[4] += g - f;
        for (Segment s : segs) sink += SummaryRow.of(s, s.startTime()).hashCode();
        long h = System.nanoTime();
        ns[5] += h - g;
        sink += new OperationCache(10_000).unknownOf(b).size();
        long i = System.nanoTime();
        ns[6] += i - h;
        for (Segment s : segs) sink += s.segmentId();
        ns[7] += System.nanoTime() - i;
      }
      if (round < 2) continue; // warm-up
      String[] names = {
        "Segment.group",
        "OTLP map+serialize",
        "zstd-3 with dictionary",
        "zstd-3 no dictionary",
        "SearchTerms.of",
        "SummaryRow.of",
        "OperationCache.unknownOf",
        "segmentId"
      };
      for (int k = 0; k < names.length; k++)
        t.computeIfAbsent(names[k], x -> new ArrayList<>()).add(ns[k] / 1e3 / n);
      if (sink == 42) System.out.print("");
    }
    t.forEach(
        (k, v) -> {
          Collections.sort(v);
          System.out.printf(
              "%-26s %6.2f us/span (median of %d)%n", k, v.get(v.size() / 2), v.size());
        });
  }

  static void levels(String file) throws Exception {
    List<Span> spans = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      TracesData d;
      while ((d = TracesData.parseDelimitedFrom(in)) != null)
        spans.addAll(OtlpSpanMapper.toSpans(d));
    }
    List<byte[]> raw = new ArrayList<>();
    for (int i = 0; i < spans.size(); i += 2000)
      for (Segment s :
          Segment.group(spans.subList(i, Math.min(spans.size(), i + 2000)), new BitSet()))
        raw.add(SegmentCodec.raw(s.spans()));
    // as the writer does: trained on its first ~1 MB of segments, measured on the rest
    List<byte[]> train = new ArrayList<>();
    long held = 0;
    int k = 0;
    while (held < DictionaryTraining.SAMPLE_BYTES) {
      held += raw.get(k).length;
      train.add(raw.get(k++));
    }
    byte[] dict = SegmentDictionary.train(train).bytes();
    List<byte[]> rest = raw.subList(k, raw.size());
    int restSpans = 0; // spans in rest: proportional estimate by bytes is wrong; count again
    int idx = 0;
    for (int i = 0; i < spans.size(); i += 2000)
      for (Segment s :
          Segment.group(spans.subList(i, Math.min(spans.size(), i + 2000)), new BitSet())) {
        if (idx++ >= k) restSpans += s.spans().size();
      }
    int[] levels = {1, 3, 5, 6, 7, 9};
    Map<Integer, List<Double>> us = new TreeMap<>();
    Map<Integer, Long> bytes = new TreeMap<>();
    Map<Integer, ZstdDictCompress> cds = new HashMap<>();
    for (int l : levels) cds.put(l, new ZstdDictCompress(dict, l));
    for (int r = 0; r < 12; r++)
      for (int l : levels) {
        long t = System.nanoTime(), b = 0;
        for (byte[] x : rest) b += Zstd.compress(x, cds.get(l)).length;
        if (r >= 2)
          us.computeIfAbsent(l, z -> new ArrayList<>())
              .add((System.nanoTime() - t) / 1e3 / restSpans);
        bytes.put(l, b);
      }
    long plain = 0;
    for (byte[] x : rest) plain += Zstd.compress(x, 3).length;
    System.out.printf(
        "trained on %d segments (%d kB raw), measured on %d segments / %d spans; no dictionary level 3: %.1f B/span%n",
        k, held >> 10, rest.size(), restSpans, (double) plain / restSpans);
    for (int l : levels) {
      List<Double> v = us.get(l);
      Collections.sort(v);
      System.out.printf(
          "dictionary level %d: %.1f B/span, %.2f us/span (median of %d)%n",
          l, (double) bytes.get(l) / restSpans, v.get(v.size() / 2), v.size());
    }
  }
}
