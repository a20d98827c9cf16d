package dev.cairn.model.otlp;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Time and allocation of printing one large trace as OTLP/JSON: the JsonFormat-based printer that
 * {@link OtlpJsonWriter} replaced ({@link JsonFormatReference}) against the writer's String, byte
 * and stream outputs, interleaved in every round so that a noisy machine affects all alike. Wall
 * time, the printing thread's CPU time (without the collector's threads) and the bytes that thread
 * allocated. Not a test (run by {@code bench/otlp-json.sh}); prints one line per round and the
 * medians.
 *
 * <p>Arguments: spans (50,000), warm-up rounds (3), measured rounds (7).
 */
public final class OtlpJsonPrintBenchmark {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private OtlpJsonPrintBenchmark() {}

  public static void main(String[] args) {
    int spanCount = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;

    List<Span> spans = trace(spanCount);
    TracesData data = OtlpSpanMapper.toTracesData(spans);
    Map<String, ToLongFunction<TracesData>> variants = new LinkedHashMap<>();
    variants.put("JsonFormat+rewrite (before)", d -> JsonFormatReference.print(d).length());
    variants.put("OtlpJson.print String", d -> OtlpJson.print(d).length());
    variants.put("OtlpJson.printUtf8 byte[]", d -> OtlpJson.printUtf8(d).length);
    variants.put("OtlpJson.print OutputStream", OtlpJsonPrintBenchmark::printToCountingStream);
    variants.put("toTracesData (mapping, not printing)", d -> mapping(spans));

    System.out.printf(
        "%d spans, %d bytes of OTLP/JSON; %d warm-up + %d measured rounds; java %s%n",
        spanCount, OtlpJson.printUtf8(data).length, warmUps, rounds, Runtime.version());
    Map<String, long[]> millis = new LinkedHashMap<>();
    Map<String, long[]> cpuMillis = new LinkedHashMap<>();
    Map<String, long[]> allocated = new LinkedHashMap<>();
    variants.keySet().forEach(name -> millis.put(name, new long[rounds]));
    variants.keySet().forEach(name -> cpuMillis.put(name, new long[rounds]));
    variants.keySet().forEach(name -> allocated.put(name, new long[rounds]));
    for (int round = -warmUps; round < rounds; round++) {
      StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1));
      for (Map.Entry<String, ToLongFunction<TracesData>> variant : variants.entrySet()) {
        System.gc();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        variant.getValue().applyAsLong(data);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        long cpu = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        long allocatedBytes = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        line.append(
            String.format(" | %d ms (cpu %d) %d MB", elapsedMillis, cpu, allocatedBytes >> 20));
        if (round >= 0) {
          millis.get(variant.getKey())[round] = elapsedMillis;
          cpuMillis.get(variant.getKey())[round] = cpu;
          allocated.get(variant.getKey())[round] = allocatedBytes;
        }
      }
      System.out.println(line);
    }
    System.out.println("median of " + rounds + " rounds:");
    for (String name : variants.keySet()) {
      System.out.printf(
          "  %-38s %6d ms %6d ms CPU %6d MB allocated (runs: %s ms)%n",
          name,
          median(millis.get(name)),
          median(cpuMillis.get(name)),
          median(allocated.get(name)) >> 20,
          Arrays.toString(millis.get(name)));
    }
  }

  /** One trace id, {@code spanCount} spans: the fixture checkout trace repeated, 1 ms apart. */
  static List<Span> trace(int spanCount) {
    TraceId traceId = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
    List<Span> spans = new ArrayList<>(spanCount);
    for (int i = 0; spans.size() < spanCount; i++) {
      for (Span span :
          SpanFixtures.threeServiceTrace(traceId, 1_700_000_000_000_000_000L + i * 1_000_000L)) {
        if (spans.size() < spanCount) {
          spans.add(span);
        }
      }
    }
    return spans;
  }

  private static long printToCountingStream(TracesData data) {
    long[] count = new long[1];
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) {
            count[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            count[0] += len;
          }
        };
    try {
      OtlpJson.print(data, counting);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return count[0];
  }

  private static long mapping(List<Span> spans) {
    return OtlpSpanMapper.toTracesData(spans).getSerializedSize();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
