package dev.cairn.query.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.Browser;
import dev.cairn.query.testing.LargeTrace;
import dev.cairn.query.testing.TestStore;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.pg.PgMetricsWriter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web UI in headless Chromium against this query-svc over the real TimescaleDB: traces written
 * with trace-store's writer and service-graph edges with its metrics writer (storage-svc's paths),
 * then what a user sees on the search page, the trace waterfall and the service graph. Service
 * names carry this run's prefix, so earlier runs' data never shows. Screenshots go to {@code
 * target/ui-screenshots/}.
 */
@QuarkusTest
class WebUiIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String PREFIX = "ui" + RUN + "-";
  private static final String FRONTEND = PREFIX + SpanFixtures.FRONTEND;
  private static final String CHECKOUT = PREFIX + SpanFixtures.CHECKOUT;
  private static final String PAYMENTS = PREFIX + SpanFixtures.PAYMENTS;
  private static final int LARGE_SPANS = 1_000;

  private static TraceId checkout;
  private static TraceId linked;
  private static TraceId large;
  private static TraceId skewed;
  private static Browser browser;

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  static void seed() {
    long now = System.currentTimeMillis() * MS;
    checkout = SpanFixtures.randomTraceId();
    linked = SpanFixtures.linkedTraceId(checkout);
    large = SpanFixtures.randomTraceId();
    List<Span> spans =
        new ArrayList<>(
            TestStore.withServicePrefix(
                PREFIX, SpanFixtures.threeServiceTrace(checkout, now - 10 * 60_000 * MS)));
    // The trace the checkout server links to: a consumer 50 ms long, and a span whose parent never
    // arrived.
    long linkedStart = now - 5 * 60_000 * MS;
    spans.add(
        SpanFixtures.span(linked, FRONTEND, "process order")
            .spanId(SpanFixtures.derivedSpanId(linked, 9))
            .kind(SpanKind.CONSUMER)
            .start(linkedStart)
            .end(linkedStart + 50 * MS)
            .build());
    spans.add(
        SpanFixtures.span(linked, CHECKOUT, "store order")
            .parent(new SpanId(0x0badc0ffeeL))
            .start(linkedStart + 10 * MS)
            .end(linkedStart + 30 * MS)
            .attributes(List.of(Attribute.of("db.system", "postgresql")))
            .build());
    // A call whose server's clock runs 70 ms behind its client's: the server seems to start first.
    skewed = SpanFixtures.randomTraceId();
    long skewedStart = now - 4 * 60_000 * MS;
    SpanId call = SpanFixtures.derivedSpanId(skewed, 1);
    spans.add(
        SpanFixtures.span(skewed, PREFIX + "edge", "GET /skewed")
            .spanId(call)
            .kind(SpanKind.CLIENT)
            .resource(onHost(PREFIX + "edge", "host-a"))
            .start(skewedStart)
            .end(skewedStart + 100 * MS)
            .build());
    spans.add(
        SpanFixtures.span(skewed, PREFIX + "db", "query")
            .parent(call)
            .kind(SpanKind.SERVER)
            .resource(onHost(PREFIX + "db", "host-b"))
            .start(skewedStart - 20 * MS)
            .end(skewedStart + 30 * MS)
            .build());
    spans.addAll(LargeTrace.of(large, PREFIX + "big-", now - 3 * 60_000 * MS, LARGE_SPANS, 42));
    TestStore.write(spans);

    long minute = Minutes.of(now) - 10 * Minutes.NANOS;
    new PgMetricsWriter(TestStore.dataSource(TestStore.SCHEMA))
        .apply(
            "web-ui-it-" + RUN,
            0,
            List.of(
                new MetricsDelta(
                    0,
                    new MetricsBatch(
                        List.of(),
                        List.of(
                            edge(minute, FRONTEND, CHECKOUT, 150, 10),
                            edge(minute, CHECKOUT, PAYMENTS, 100, 0))))));
  }

  @BeforeEach
  void startBrowser() {
    if (browser == null) browser = new Browser(root.toString());
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }

  @Test
  void searchFormListsTracesWithDurationBarsOnOneScale() throws Exception {
    browser.open("/");
    WebElement service = browser.waitFor("#service option[value='" + FRONTEND + "']");
    service.click(); // choosing the option fires the select's change event
    // the operation list follows the chosen service
    browser.waitFor("#operation option[value='GET /checkout']");
    assertThat(service.getText()).isEqualTo(FRONTEND);
    browser.driver().findElement(By.id("find")).click();

    List<WebElement> rows = browser.waitForAll("#results li.result", 2);
    assertThat(browser.driver().getCurrentUrl()).contains("/search?service=" + PREFIX);
    assertThat(rows).hasSize(2);
    // newest first: the linked trace (5 min ago), then the checkout (10 min ago)
    WebElement newest = rows.get(0);
    WebElement older = rows.get(1);
    assertThat(newest.getAttribute("data-trace-id")).isEqualTo(linked.toHex());
    assertThat(newest.findElement(By.cssSelector(".root")).getText())
        .isEqualTo(FRONTEND + ": process order");
    assertThat(newest.findElement(By.cssSelector(".span-count")).getText()).isEqualTo("2 spans");
    assertThat(newest.findElements(By.cssSelector(".error-count"))).isEmpty();
    assertThat(older.getAttribute("data-trace-id")).isEqualTo(checkout.toHex());
    assertThat(older.findElement(By.cssSelector(".root")).getText())
        .isEqualTo(FRONTEND + ": GET /checkout");
    assertThat(older.findElement(By.cssSelector(".span-count")).getText()).isEqualTo("5 spans");
    assertThat(older.findElement(By.cssSelector(".error-count")).getText()).isEqualTo("1 error");
    assertThat(older.findElement(By.cssSelector(".duration")).getText()).isEqualTo("250ms");
    assertThat(older.findElements(By.cssSelector(".service-chip")))
        .extracting(WebElement::getText)
        .containsExactly(CHECKOUT, FRONTEND, PAYMENTS);
    // one scale: the 250 ms trace fills the track, the 50 ms one a fifth of it
    double longBar = barFraction(older);
    double shortBar = barFraction(newest);
    assertThat(longBar).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(shortBar).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
    assertThat(Files.size(browser.screenshot("search"))).isPositive();
  }

  @Test
  void searchPagesThroughTheCursorAndFiltersErrors() {
    browser.open("/search?service=" + FRONTEND + "&limit=1");
    browser.waitForAll("#results li.result", 1);
    WebElement more = browser.waitFor("#more");
    more.click();
    List<WebElement> rows = browser.waitForAll("#results li.result", 2);
    assertThat(rows)
        .extracting(r -> r.getAttribute("data-trace-id"))
        .containsExactly(linked.toHex(), checkout.toHex());

    browser.open("/search?service=" + FRONTEND + "&error=true");
    browser.waitForAll("#results li.result", 1);
    assertThat(browser.all("#results li.result"))
        .extracting(r -> r.getAttribute("data-trace-id"))
        .containsExactly(checkout.toHex());

    browser.open("/search?service=" + FRONTEND + "&minDuration=fast");
    assertThat(browser.waitFor("#search-status .error").getText()).contains("minDuration");
  }

  @Test
  void waterfallDrawsSpansByDepthAndShowsTheClickedSpansDetails() {
    browser.open("/trace/" + checkout.toHex());
    browser.waitFor("#waterfall[data-drawn='true']");
    List<WebElement> rows = browser.all("#waterfall .row");
    assertThat(rows).hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    assertThat(rows)
        .extracting(r -> r.getAttribute("aria-level"))
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(rows)
        .extracting(r -> r.findElement(By.cssSelector(".svc")).getText())
        .containsExactly(FRONTEND, FRONTEND, CHECKOUT, CHECKOUT, PAYMENTS);
    // the error span is marked; the services keep one colour each
    WebElement payments = rows.get(4);
    assertThat(payments.getAttribute("class")).contains("error");
    assertThat(payments.findElements(By.cssSelector(".error-mark"))).hasSize(1);
    assertThat(color(rows.get(0))).isEqualTo(color(rows.get(1))).isNotEqualTo(color(rows.get(2)));
    // bars on the trace's time axis: the root spans it, the payments span is 200 of 250 ms
    assertThat(barWidthFraction(rows.get(0)))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(barWidthFraction(payments))
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(0.01));

    // every span of this chain of synchronous calls is on the critical path somewhere
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.findElements(By.cssSelector(".cp"))).isNotEmpty());

    payments.findElement(By.cssSelector(".op")).click();
    WebElement details = browser.waitFor("#span-details");
    assertThat(details.findElement(By.tagName("h3")).getText()).isEqualTo("POST /api/charge");
    assertThat(details.getText())
        .contains("ERROR: card declined")
        .contains("payment.amount_cents")
        .contains("12999")
        .contains("exception.message")
        .contains(PAYMENTS);
    assertThat(browser.screenshot("trace-waterfall")).exists();

    // the checkout server's link leads to the linked trace, whose orphan span is marked
    rows.get(2).findElement(By.cssSelector(".op")).click();
    WebElement link = browser.waitFor("#span-details a.span-link");
    link.click();
    browser.waitForText("#trace-id", linked.toHex());
    browser.waitFor("#waterfall[data-drawn='true']");
    assertThat(browser.driver().getCurrentUrl()).contains("/trace/" + linked.toHex());
    // the link's span is selected and open
    assertThat(browser.waitFor("#span-details h3").getText()).isEqualTo("process order");
    assertThat(browser.all("#waterfall .row .missing-parent")).hasSize(1);
    assertThat(browser.waitFor("#trace-warnings").getText()).contains("1 parent span missing");
  }

  @Test
  void waterfallMarksAClockSkewAdjustment() {
    browser.open("/trace/" + skewed.toHex());
    browser.waitFor("#waterfall[data-drawn='true']");
    List<WebElement> rows = browser.all("#waterfall .row");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).findElements(By.cssSelector(".skew"))).isEmpty();
    WebElement marker = rows.get(1).findElement(By.cssSelector(".skew"));
    assertThat(marker.getText()).startsWith("skew ");
    assertThat(marker.getAttribute("title")).contains("shifted into the parent");
    // drawn at the adjusted time: inside its parent's bar
    assertThat(rows.get(1).findElement(By.cssSelector(".bar")).getRect().getX())
        .isGreaterThanOrEqualTo(rows.get(0).findElement(By.cssSelector(".bar")).getRect().getX());
  }

  @Test
  void keyboardMovesCollapsesExpandsAndOpens() {
    browser.open("/trace/" + checkout.toHex());
    WebElement waterfall = browser.waitFor("#waterfall[data-drawn='true']");
    assertThat(selectedIndex()).isEqualTo("0");
    waterfall.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
    assertThat(selectedIndex()).isEqualTo("2");
    // left collapses the checkout server's subtree: its two descendants disappear
    waterfall.sendKeys(Keys.ARROW_LEFT);
    assertThat(visibleRows()).isEqualTo(3);
    waterfall.sendKeys(Keys.ARROW_DOWN);
    assertThat(selectedIndex()).isEqualTo("2"); // nothing visible below
    // right expands again, a second right moves into the first child
    waterfall.sendKeys(Keys.ARROW_RIGHT);
    assertThat(visibleRows()).isEqualTo(5);
    waterfall.sendKeys(Keys.ARROW_RIGHT);
    assertThat(selectedIndex()).isEqualTo("3");
    // left on a leaf goes to the parent; Enter opens the selected span
    waterfall.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_LEFT);
    assertThat(selectedIndex()).isEqualTo("3");
    waterfall.sendKeys(Keys.ENTER);
    assertThat(browser.waitFor("#span-details h3").getText()).isEqualTo("POST /api/charge");
    assertThat(browser.waitFor("#span-details").getText())
        .contains("server.address")
        .contains("402");
  }

  @Test
  void collapseButtonHidesTheSubtree() {
    browser.open(
        "/trace/" + checkout.toHex() + "?span=" + SpanFixtures.derivedSpanId(checkout, 5).toHex());
    browser.waitFor("#waterfall[data-drawn='true']");
    // a deep link selects and opens the span it names
    assertThat(selectedIndex()).isEqualTo("4");
    assertThat(browser.waitFor("#span-details h3").getText()).isEqualTo("POST /api/charge");
    browser.all("#waterfall .row").get(1).findElement(By.cssSelector(".toggle")).click();
    assertThat(visibleRows()).isEqualTo(2);
    browser.all("#waterfall .row").get(1).findElement(By.cssSelector(".toggle")).click();
    assertThat(visibleRows()).isEqualTo(5);
  }

  @Test
  void largeTraceDrawsEveryRow() {
    browser.open("/trace/" + large.toHex());
    browser.waitFor("#waterfall[data-drawn='true']");
    List<WebElement> rows = browser.all("#waterfall .row");
    assertThat(rows).hasSize(LARGE_SPANS);
    assertThat(browser.all("#waterfall .row.error")).hasSize((LARGE_SPANS - 1) / 37);
    Object marks =
        browser.script("return performance.getEntriesByName('cairn:waterfall-drawn').length");
    assertThat(((Number) marks).intValue()).isEqualTo(1);
  }

  @Test
  void serviceGraphDrawsServicesAndCallsWithErrorRates() {
    browser.open("/dependencies?lookback=1h");
    browser.waitFor("#service-graph");
    assertThat(browser.all("#service-graph a.node"))
        .extracting(n -> n.getAttribute("data-service"))
        .contains(FRONTEND, CHECKOUT, PAYMENTS);
    WebElement frontendEdge =
        browser.waitFor(
            "#service-graph g.edge[data-parent='" + FRONTEND + "'][data-child='" + CHECKOUT + "']");
    assertThat(frontendEdge.findElement(By.cssSelector(".edge-label")).getText())
        .isEqualTo("150 calls · 6.7% errors");
    WebElement paymentsEdge =
        browser.waitFor(
            "#service-graph g.edge[data-parent='" + CHECKOUT + "'][data-child='" + PAYMENTS + "']");
    assertThat(paymentsEdge.findElement(By.cssSelector(".edge-label")).getText())
        .isEqualTo("100 calls · 0% errors");
    // callers left of callees
    assertThat(nodeX(FRONTEND)).isLessThan(nodeX(CHECKOUT));
    assertThat(nodeX(CHECKOUT)).isLessThan(nodeX(PAYMENTS));
    browser.script(
        "document.querySelector(\"#service-graph a.node[data-service='"
            + PAYMENTS
            + "']\").scrollIntoView()");
    assertThat(browser.screenshot("service-graph")).exists();
  }

  // ------------------------------------------------------------------ helpers

  private static Resource onHost(String service, String host) {
    return new Resource(
        List.of(Attribute.of(Resource.SERVICE_NAME, service), Attribute.of("host.name", host)),
        0,
        "");
  }

  private static EdgeSeries edge(long minute, String parent, String child, int calls, int errors) {
    SeriesAggregate.Builder aggregate = SeriesAggregate.builder();
    for (int i = 0; i < calls; i++) aggregate.add(1, 10 * MS, null);
    return new EdgeSeries(minute, parent, child, EdgeType.REQUEST, errors, aggregate.build());
  }

  private static double barFraction(WebElement result) {
    WebElement bar = result.findElement(By.cssSelector(".bar-track .bar"));
    WebElement track = result.findElement(By.cssSelector(".bar-track"));
    return (double) bar.getRect().getWidth() / track.getRect().getWidth();
  }

  private static double barWidthFraction(WebElement row) {
    WebElement bar = row.findElement(By.cssSelector(".bar"));
    WebElement column = row.findElement(By.cssSelector(".time-col"));
    return (double) bar.getRect().getWidth() / column.getRect().getWidth();
  }

  private static String color(WebElement row) {
    return row.findElement(By.cssSelector(".bar")).getCssValue("background-color");
  }

  private static String selectedIndex() {
    return browser.waitFor("#waterfall .row.selected").getAttribute("data-index");
  }

  private static int visibleRows() {
    return ((Number)
            browser.script(
                "return document.querySelectorAll('#waterfall .row:not([hidden])').length"))
        .intValue();
  }

  private static double nodeX(String service) {
    return browser
        .waitFor("#service-graph a.node[data-service='" + service + "'] rect")
        .getRect()
        .getX();
  }
}
