package dev.cairn.store.pg;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictTrainer;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Measurement, not a test (docs/benchmarks.md section 2): where a segment's bytes and terms go, by
 * zstd level and dictionary size. Input: the spans file bench/storage-layout.sh exports; second
 * argument the batch size.
 */
public final class SegmentSizeProbe {
  public static void main(String[] args) throws Exception {
    List<Span> spans = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      TracesData data;
      while ((data = TracesData.parseDelimitedFrom(in)) != null) {
        spans.addAll(OtlpSpanMapper.toSpans(data));
      }
    }
    int batch = Integer.parseInt(args[1]);
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < spans.size(); i += batch) {
      segments.addAll(
          Segment.group(spans.subList(i, Math.min(spans.size(), i + batch)), new BitSet()));
    }
    int n = spans.size();
    System.out.printf(
        "spans=%d segments=%d spans/segment=%.1f%n",
        n, segments.size(), (double) n / segments.size());
    List<byte[]> raw = new ArrayList<>();
    long rawBytes = 0;
    for (Segment s : segments) {
      byte[] b = TraceWireCodec.encode(OtlpSpanMapper.toTracesData(s.spans()));
      raw.add(b);
      rawBytes += b.length;
    }
    System.out.printf("raw otlp B/span=%.1f%n", (double) rawBytes / n);
    for (int level : new int[] {1, 3, 6, 9, 12, 19}) {
      long t0 = System.nanoTime();
      long bytes = 0;
      for (int r = 0; r < 3; r++) {
        bytes = 0;
        for (byte[] b : raw) {
          bytes += Zstd.compress(b, level).length;
        }
      }
      System.out.printf(
          "zstd level %d: B/span=%.1f us/span=%.2f%n",
          level, (double) bytes / n, (System.nanoTime() - t0) / 3e3 / n);
    }
    // dictionary trained on the first half, measured on the second half
    int half = raw.size() / 2;
    long secondRaw = 0;
    for (int i = half; i < raw.size(); i++) {
      secondRaw += raw.get(i).length;
    }
    int secondSpans = 0;
    for (int i = half; i < segments.size(); i++) {
      secondSpans += segments.get(i).spans().size();
    }
    long plain = 0;
    for (int i = half; i < raw.size(); i++) {
      plain += Zstd.compress(raw.get(i), 3).length;
    }
    System.out.printf(
        "second half: raw B/span=%.1f zstd3 B/span=%.1f%n",
        (double) secondRaw / secondSpans, (double) plain / secondSpans);
    for (int dictSize : new int[] {16 << 10, 64 << 10, 112 << 10}) {
      ZstdDictTrainer trainer = new ZstdDictTrainer(64 << 20, dictSize);
      for (int i = 0; i < half; i++) {
        trainer.addSample(raw.get(i));
      }
      byte[] dict = trainer.trainSamples();
      for (int level : new int[] {3, 9, 19}) {
        ZstdDictCompress cd = new ZstdDictCompress(dict, level);
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int i = half; i < raw.size(); i++) {
          bytes += Zstd.compress(raw.get(i), cd).length;
        }
        System.out.printf(
            "dict %d kB level %d: B/span=%.1f us/span=%.2f%n",
            dict.length >> 10,
            level,
            (double) bytes / secondSpans,
            (System.nanoTime() - t0) / 1e3 / secondSpans);
      }
    }
    for (int samples : new int[] {100, 250, 500, 850}) {
      for (int dictSize : new int[] {32 << 10, 64 << 10}) {
        long t0 = System.nanoTime();
        ZstdDictTrainer trainer = new ZstdDictTrainer(64 << 20, dictSize);
        for (int i = 0; i < samples; i++) {
          trainer.addSample(raw.get(i));
        }
        byte[] dict = trainer.trainSamples();
        long train = System.nanoTime() - t0;
        ZstdDictCompress cd = new ZstdDictCompress(dict, 3);
        long bytes = 0;
        for (int i = half; i < raw.size(); i++) {
          bytes += Zstd.compress(raw.get(i), cd).length;
        }
        System.out.printf(
            "train %d samples dict %d kB: %d ms, second half B/span=%.1f dictId=%d%n",
            samples,
            dictSize >> 10,
            train / 1_000_000,
            (double) bytes / secondSpans,
            Zstd.getDictIdFromDict(dict));
      }
    }
    // terms
    Map<Integer, Integer> termSegments = new HashMap<>();
    long termCount = 0;
    for (Segment s : segments) {
      int[] t = SearchTerms.of(s.spans());
      termCount += t.length;
      for (int x : t) {
        termSegments.merge(x, 1, Integer::sum);
      }
    }
    long unique = termSegments.values().stream().filter(c -> c == 1).count();
    System.out.printf(
        "terms/segment=%.1f terms/span=%.2f distinct=%d in-one-segment=%d (%.0f%% of entries)%n",
        (double) termCount / segments.size(),
        (double) termCount / n,
        termSegments.size(),
        unique,
        100.0 * unique / termCount);
    // per attribute key: distinct values, and entries (segment, key=value)
    Map<String, Set<String>> values = new TreeMap<>();
    Map<String, Long> entries = new TreeMap<>();
    for (Segment s : segments) {
      Set<String> seen = new HashSet<>();
      for (Span span : s.spans()) {
        AttributeJson.scalarTexts(span.attributes())
            .forEach(
                (k, v) -> {
                  values.computeIfAbsent("span:" + k, x -> new HashSet<>()).add(v);
                  if (seen.add("span:" + k + "=" + v)) entries.merge("span:" + k, 1L, Long::sum);
                });
        AttributeJson.scalarTexts(span.resource().attributes())
            .forEach(
                (k, v) -> {
                  values.computeIfAbsent("res:" + k, x -> new HashSet<>()).add(v);
                  if (seen.add("res:" + k + "=" + v)) entries.merge("res:" + k, 1L, Long::sum);
                });
        if (seen.add("op:" + span.serviceName() + span.name()))
          entries.merge("(operation)", 1L, Long::sum);
        if (seen.add("svc:" + span.serviceName())) entries.merge("(service)", 1L, Long::sum);
      }
    }
    entries.forEach(
        (k, e) ->
            System.out.printf(
                "  %-40s distinct=%-7d entries/segment=%.1f example=%s%n",
                k,
                values.getOrDefault(k, Set.of()).size(),
                (double) e / segments.size(),
                values.getOrDefault(k, Set.of()).stream().findFirst().orElse("")));
  }
}
