package dev.cairn.query.transport.http;

import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.Browser;
import dev.cairn.query.testing.LargeTrace;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Time to first waterfall of a 1,000-span trace in headless Chromium: navigation start to the
 * page's marks {@code cairn:trace-fetch} (modules loaded, the view asked for), {@code
 * cairn:trace-fetched} (its answer parsed), {@code cairn:waterfall-drawn} (rows in the DOM) and
 * {@code cairn:waterfall-painted} (after the frame that paints them), over fresh page loads; the
 * API time is fetched minus fetch, the drawing painted minus fetched. A benchmark, not a test: its
 * name matches no surefire pattern, so only {@code bench/ui.sh} runs it; it asserts nothing on
 * time. Properties: {@code cairn.bench.runs} (default 9), {@code cairn.bench.spans} (1000), {@code
 * cairn.bench.out} (a file for the figures).
 */
@QuarkusTest
class WaterfallFirstDrawBench {

  private static final long MS = 1_000_000L;

  @TestHTTPResource("/")
  URL root;

  @Test
  void timeToFirstWaterfall() throws IOException {
    int runs = Integer.getInteger("cairn.bench.runs", 9);
    int spanCount = Integer.getInteger("cairn.bench.spans", 1_000);
    TraceId traceId = SpanFixtures.randomTraceId();
    TestStore.write(
        LargeTrace.of(
            traceId, "uibench-", System.currentTimeMillis() * MS - 60_000 * MS, spanCount, 7));
    List<String> lines = new ArrayList<>();
    List<Double> fetch = new ArrayList<>();
    List<Double> fetched = new ArrayList<>();
    List<Double> drawn = new ArrayList<>();
    List<Double> painted = new ArrayList<>();
    try (Browser browser = new Browser(root.toString())) {
      browser.open("/trace/" + traceId.toHex()); // warm-up: JIT of the service, browser caches
      browser.waitFor("#waterfall[data-drawn='true']");
      for (int i = 1; i <= runs; i++) {
        browser.open("/trace/" + traceId.toHex());
        browser.waitFor("#waterfall[data-drawn='true']");
        int rows =
            ((Number) browser.script("return document.querySelectorAll('#waterfall .row').length"))
                .intValue();
        if (rows != spanCount) throw new AssertionError(rows + " rows drawn, not " + spanCount);
        double f = mark(browser, "cairn:trace-fetch");
        double a = mark(browser, "cairn:trace-fetched");
        double d = mark(browser, "cairn:waterfall-drawn");
        double p = mark(browser, "cairn:waterfall-painted");
        fetch.add(f);
        fetched.add(a);
        drawn.add(d);
        painted.add(p);
        lines.add(
            String.format(
                Locale.ROOT,
                "run %d: fetch %.1f, fetched %.1f, drawn %.1f, painted %.1f ms after navigation"
                    + " start (API %.1f ms, drawing %.1f ms)",
                i,
                f,
                a,
                d,
                p,
                a - f,
                p - a));
      }
    }
    List<Double> api = new ArrayList<>();
    List<Double> drawing = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      api.add(fetched.get(i) - fetch.get(i));
      drawing.add(painted.get(i) - fetched.get(i));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "median of %d runs, %d spans: fetch %.1f ms, fetched %.1f ms, drawn %.1f ms, painted"
                + " %.1f ms (min %.1f, max %.1f); API %.1f ms, drawing %.1f ms",
            runs,
            spanCount,
            median(fetch),
            median(fetched),
            median(drawn),
            median(painted),
            painted.stream().mapToDouble(Double::doubleValue).min().orElse(0),
            painted.stream().mapToDouble(Double::doubleValue).max().orElse(0),
            median(api),
            median(drawing)));
    lines.forEach(System.out::println);
    String out = System.getProperty("cairn.bench.out");
    if (out != null) Files.write(Path.of(out), lines);
  }

  private static double mark(Browser browser, String name) {
    return ((Number)
            browser.script(
                "return performance.getEntriesByName(arguments[0], 'mark')[0].startTime", name))
        .doubleValue();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
