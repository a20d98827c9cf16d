package dev.cairn.model.testing;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Realistic spans and traces in model form, shared by every module's tests (published in
 * trace-model's test-jar: depend on {@code dev.cairn:trace-model:test-jar}, scope test).
 *
 * <p>Fixtures built from a given trace id and start time are deterministic (span ids derive from
 * the trace id), so tests may compare against golden files; {@link #randomTraceId()} gives fresh
 * ids so that tests against shared Kafka topics and databases do not collide.
 */
public final class SpanFixtures {

  public static final String FRONTEND = "frontend";
  public static final String CHECKOUT = "checkout";
  public static final String PAYMENTS = "payments";

  /** Spans in {@link #threeServiceTrace}. */
  public static final int THREE_SERVICE_SPAN_COUNT = 5;

  /** Spans in {@link #threeServiceTrace} with status ERROR (the payments server span). */
  public static final int THREE_SERVICE_ERROR_COUNT = 1;

  /** Duration of the root span of {@link #threeServiceTrace}: 250 ms. */
  public static final long THREE_SERVICE_DURATION_NANOS = 250_000_000L;

  private static final String SEMCONV_SCHEMA = "https://opentelemetry.io/schemas/1.24.0";
  private static final long MS = 1_000_000L;

  private SpanFixtures() {}

  /** A random valid (non-zero) W3C trace id; its low 56 bits are uniformly random. */
  public static TraceId randomTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TraceId id;
    do {
      id = new TraceId(random.nextLong(), random.nextLong());
    } while (!id.isValid());
    return id;
  }

  /** A random valid (non-zero) span id. */
  public static SpanId randomSpanId() {
    long value;
    do {
      value = ThreadLocalRandom.current().nextLong();
    } while (value == 0);
    return new SpanId(value);
  }

  /**
   * A resource such as an OpenTelemetry SDK reports: service.name, service.version, host.name,
   * telemetry.sdk.*, with the semantic-conventions schema URL.
   */
  public static Resource resource(String serviceName) {
    return new Resource(
        List.of(
            Attribute.of(Resource.SERVICE_NAME, serviceName),
            Attribute.of("service.version", "1.4.2"),
            Attribute.of("host.name", serviceName + "-7d9f8b6c5-x2x4q"),
            Attribute.of("telemetry.sdk.language", "java"),
            Attribute.of("telemetry.sdk.name", "opentelemetry")),
        0,
        SEMCONV_SCHEMA);
  }

  /** An instrumentation scope with a name and a version. */
  public static InstrumentationScope scope(String name, String version) {
    return new InstrumentationScope(name, version, List.of(), 0, SEMCONV_SCHEMA);
  }

  /** A builder with defaults: a random id, INTERNAL kind, 1 ms long, unset status, no extras. */
  public static SpanBuilder span(TraceId traceId, String service, String name) {
    return new SpanBuilder(traceId, resource(service), name);
  }

  /**
   * A span with only the required fields, for tests that do not care about the rest.
   *
   * @param parent empty for a root span
   */
  public static Span span(
      TraceId traceId,
      SpanId spanId,
      Optional<SpanId> parent,
      String service,
      String name,
      SpanKind kind,
      long startNanos,
      long endNanos) {
    return new SpanBuilder(traceId, resource(service), name)
        .spanId(spanId)
        .parent(parent)
        .kind(kind)
        .start(startNanos)
        .end(endNanos)
        .build();
  }

  /**
   * Five spans of a checkout request across three services, in start order:
   *
   * <pre>
   * frontend  SERVER GET /checkout            (root, 250 ms; attributes of every type; event)
   * frontend  CLIENT POST /api/orders          (child of the root)
   * checkout  SERVER POST /api/orders          (child of the frontend client; link to another trace)
   * checkout  CLIENT POST /api/charge          (child of the checkout server)
   * payments  SERVER POST /api/charge          (status ERROR "card declined"; exception event)
   * </pre>
   *
   * Span ids derive from the trace id, so the result is a pure function of the arguments. The
   * linked trace is {@link #linkedTraceId(TraceId)}.
   */
  public static List<Span> threeServiceTrace(TraceId traceId, long startNanos) {
    Resource frontend = resource(FRONTEND);
    Resource checkout = resource(CHECKOUT);
    Resource payments = resource(PAYMENTS);
    InstrumentationScope http = scope("io.opentelemetry.netty-4.1", "2.33.1");
    InstrumentationScope client = scope("io.opentelemetry.java-http-client", "2.33.1");

    SpanId root = derivedSpanId(traceId, 1);
    SpanId frontendClient = derivedSpanId(traceId, 2);
    SpanId checkoutServer = derivedSpanId(traceId, 3);
    SpanId checkoutClient = derivedSpanId(traceId, 4);
    SpanId paymentsServer = derivedSpanId(traceId, 5);
    String traceState = "ot=th:0;rv:" + String.format("%014x", traceId.low() & ((1L << 56) - 1));

    List<Span> spans = new ArrayList<>(THREE_SERVICE_SPAN_COUNT);
    spans.add(
        new SpanBuilder(traceId, frontend, "GET /checkout")
            .spanId(root)
            .kind(SpanKind.SERVER)
            .scope(http)
            .traceState(traceState)
            .flags(0x301)
            .start(startNanos)
            .end(startNanos + THREE_SERVICE_DURATION_NANOS)
            .attributes(everyAttributeType())
            .events(
                List.of(
                    new SpanEvent(
                        startNanos + 2 * MS,
                        "cache.miss",
                        List.of(
                            Attribute.of("cache.key", "cart:42"),
                            new Attribute("cache.hit", AttributeValue.of(false)),
                            Attribute.of("cache.size", 1024)),
                        1)))
            .build());
    spans.add(
        new SpanBuilder(traceId, frontend, "POST /api/orders")
            .spanId(frontendClient)
            .parent(root)
            .kind(SpanKind.CLIENT)
            .scope(client)
            .traceState(traceState)
            .flags(0x301)
            .start(startNanos + 10 * MS)
            .end(startNanos + 240 * MS)
            .attributes(
                List.of(
                    Attribute.of("http.request.method", "POST"),
                    Attribute.of("server.address", "checkout"),
                    Attribute.of("http.response.status_code", 502)))
            .status(new SpanStatus(StatusCode.UNSET, ""))
            .build());
    spans.add(
        new SpanBuilder(traceId, checkout, "POST /api/orders")
            .spanId(checkoutServer)
            .parent(frontendClient)
            .kind(SpanKind.SERVER)
            .scope(http)
            .traceState(traceState)
            .flags(0x301)
            .start(startNanos + 12 * MS)
            .end(startNanos + 238 * MS)
            .attributes(
                List.of(
                    Attribute.of("http.request.method", "POST"),
                    Attribute.of("http.route", "/api/orders"),
                    Attribute.of("order.items", 3)))
            .links(
                List.of(
                    new SpanLink(
                        linkedTraceId(traceId),
                        derivedSpanId(linkedTraceId(traceId), 9),
                        "vendor=abc",
                        List.of(Attribute.of("messaging.operation", "process")),
                        0,
                        0x301)))
            .droppedLinksCount(1)
            .build());
    spans.add(
        new SpanBuilder(traceId, checkout, "POST /api/charge")
            .spanId(checkoutClient)
            .parent(checkoutServer)
            .kind(SpanKind.CLIENT)
            .scope(client)
            .traceState(traceState)
            .flags(0x301)
            .start(startNanos + 20 * MS)
            .end(startNanos + 230 * MS)
            .attributes(
                List.of(
                    Attribute.of("http.request.method", "POST"),
                    Attribute.of("server.address", "payments"),
                    Attribute.of("http.response.status_code", 402)))
            .build());
    spans.add(
        new SpanBuilder(traceId, payments, "POST /api/charge")
            .spanId(paymentsServer)
            .parent(checkoutClient)
            .kind(SpanKind.SERVER)
            .scope(http)
            .traceState(traceState)
            .flags(0x301)
            .start(startNanos + 25 * MS)
            .end(startNanos + 225 * MS)
            .attributes(
                List.of(
                    Attribute.of("http.request.method", "POST"),
                    Attribute.of("http.route", "/api/charge"),
                    Attribute.of("payment.amount_cents", 12_999)))
            .events(
                List.of(
                    new SpanEvent(
                        startNanos + 220 * MS,
                        "exception",
                        List.of(
                            Attribute.of("exception.type", "com.example.CardDeclinedException"),
                            Attribute.of("exception.message", "card declined")),
                        0)))
            .status(new SpanStatus(StatusCode.ERROR, "card declined"))
            .droppedAttributesCount(2)
            .droppedEventsCount(3)
            .build());
    return List.copyOf(spans);
  }

  /** The trace that the checkout server span of {@link #threeServiceTrace} links to. */
  public static TraceId linkedTraceId(TraceId traceId) {
    return new TraceId(~traceId.high(), traceId.low() ^ 0x5a5a5a5a5a5a5a5aL);
  }

  /** Attributes with one value of each OTLP AnyValue kind, arrays and maps nested. */
  public static List<Attribute> everyAttributeType() {
    return List.of(
        Attribute.of("http.request.method", "GET"),
        new Attribute("http.route", AttributeValue.of("/checkout")),
        new Attribute("user.authenticated", AttributeValue.of(true)),
        Attribute.of("http.response.status_code", 200),
        new Attribute("cart.total", AttributeValue.of(129.99)),
        new Attribute(
            "session.token.hash", new AttributeValue.BytesValue(new byte[] {(byte) 0xde, 0x2d, 0})),
        new Attribute(
            "cart.skus",
            new AttributeValue.ArrayValue(
                List.of(AttributeValue.of("sku-1"), AttributeValue.of("sku-2")))),
        new Attribute(
            "request.mixed",
            new AttributeValue.ArrayValue(
                List.of(
                    AttributeValue.of(1L),
                    AttributeValue.of(2.5),
                    AttributeValue.of(false),
                    new AttributeValue.Empty()))),
        new Attribute(
            "client.geo",
            new AttributeValue.KeyValueList(
                List.of(
                    Attribute.of("country", "NZ"),
                    new Attribute(
                        "coords",
                        new AttributeValue.ArrayValue(
                            List.of(AttributeValue.of(-36.85), AttributeValue.of(174.76))))))),
        new Attribute("feature.flag.unset", new AttributeValue.Empty()));
  }

  /**
   * A span id derived from a trace id and an index: deterministic, non-zero, distinct for distinct
   * indexes of one trace.
   */
  public static SpanId derivedSpanId(TraceId traceId, int index) {
    long mixed =
        (traceId.high() * 0x9E3779B97F4A7C15L) ^ traceId.low() ^ (index * 0xBF58476D1CE4E5B9L);
    return new SpanId(mixed == 0 ? index : mixed);
  }

  /**
   * A span with every field random (ids, flags, names in any Unicode, times, attributes of every
   * type nested up to two levels, events, links, status, dropped counts, resource, scope), for
   * round-trip property tests. Doubles are finite.
   */
  public static Span randomSpan(Random random) {
    TraceId traceId = new TraceId(random.nextLong(), random.nextLong() | 1);
    long start = Math.abs(random.nextLong() >>> 2);
    SpanBuilder builder =
        new SpanBuilder(
                traceId,
                new Resource(
                    randomAttributes(random, 2),
                    random.nextInt(3),
                    random.nextBoolean() ? SEMCONV_SCHEMA : ""),
                randomString(random))
            .spanId(new SpanId(random.nextLong() | 1))
            .parent(
                random.nextBoolean()
                    ? Optional.of(new SpanId(random.nextLong() | 1))
                    : Optional.empty())
            .traceState(random.nextBoolean() ? "ot=th:8;rv:0123456789abcd,vendor=x" : "")
            .flags(random.nextInt(0x400))
            .kind(SpanKind.values()[random.nextInt(SpanKind.values().length)])
            .scope(
                random.nextInt(4) == 0
                    ? InstrumentationScope.EMPTY
                    : new InstrumentationScope(
                        randomString(random),
                        randomString(random),
                        randomAttributes(random, 1),
                        random.nextInt(3),
                        random.nextBoolean() ? SEMCONV_SCHEMA : ""))
            .start(start)
            .end(start + random.nextInt(1_000_000_000))
            .attributes(randomAttributes(random, 2))
            .droppedAttributesCount(random.nextInt(5))
            .droppedEventsCount(random.nextInt(5))
            .droppedLinksCount(random.nextInt(5))
            .status(
                new SpanStatus(
                    StatusCode.values()[random.nextInt(StatusCode.values().length)],
                    random.nextBoolean() ? randomString(random) : ""));
    List<SpanEvent> events = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      events.add(
          new SpanEvent(
              start + random.nextInt(1000),
              randomString(random),
              randomAttributes(random, 1),
              random.nextInt(3)));
    }
    List<SpanLink> links = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      links.add(
          new SpanLink(
              new TraceId(random.nextLong(), random.nextLong() | 1),
              new SpanId(random.nextLong() | 1),
              random.nextBoolean() ? "a=b" : "",
              randomAttributes(random, 1),
              random.nextInt(3),
              random.nextInt(0x400)));
    }
    return builder.events(events).links(links).build();
  }

  /** Up to four attributes of random types; {@code depth} bounds nesting of arrays and maps. */
  public static List<Attribute> randomAttributes(Random random, int depth) {
    List<Attribute> attributes = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      attributes.add(new Attribute(randomString(random), randomValue(random, depth)));
    }
    return attributes;
  }

  /** A random value of any AnyValue kind; arrays and key-value lists only while depth > 0. */
  public static AttributeValue randomValue(Random random, int depth) {
    int kinds = depth > 0 ? 8 : 6;
    return switch (random.nextInt(kinds)) {
      case 0 -> AttributeValue.of(randomString(random));
      case 1 -> AttributeValue.of(random.nextBoolean());
      case 2 -> AttributeValue.of(random.nextLong());
      case 3 -> AttributeValue.of((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30)));
      case 4 -> {
        byte[] bytes = new byte[random.nextInt(8)];
        random.nextBytes(bytes);
        yield new AttributeValue.BytesValue(bytes);
      }
      case 5 -> new AttributeValue.Empty();
      case 6 -> {
        List<AttributeValue> values = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          values.add(randomValue(random, depth - 1));
        }
        yield new AttributeValue.ArrayValue(values);
      }
      default -> new AttributeValue.KeyValueList(randomAttributes(random, depth - 1));
    };
  }

  private static final String[] WORDS = {
    "", "a", "http.route", "db.statement", "ünïcödé", "日本語", "emoji 🎉", "line\nbreak", "q\"uote"
  };

  private static String randomString(Random random) {
    if (random.nextInt(3) == 0) {
      byte[] ascii = new byte[random.nextInt(12)];
      for (int i = 0; i < ascii.length; i++) {
        ascii[i] = (byte) (' ' + random.nextInt(95));
      }
      return new String(ascii, StandardCharsets.US_ASCII);
    }
    return WORDS[random.nextInt(WORDS.length)];
  }

  /** A mutable builder of one span with defaults for every field; {@link #build()} is reusable. */
  public static final class SpanBuilder {
    private final TraceId traceId;
    private SpanId spanId = randomSpanId();
    private Optional<SpanId> parent = Optional.empty();
    private String traceState = "";
    private int flags = 1;
    private String name;
    private SpanKind kind = SpanKind.INTERNAL;
    private long start = 1_700_000_000_000_000_000L;
    private long end = start + MS;
    private List<Attribute> attributes = List.of();
    private int droppedAttributesCount;
    private List<SpanEvent> events = List.of();
    private int droppedEventsCount;
    private List<SpanLink> links = List.of();
    private int droppedLinksCount;
    private SpanStatus status = SpanStatus.UNSET;
    private Resource resource;
    private InstrumentationScope scope = InstrumentationScope.EMPTY;

    public SpanBuilder(TraceId traceId, Resource resource, String name) {
      this.traceId = traceId;
      this.resource = resource;
      this.name = name;
    }

    public SpanBuilder spanId(SpanId value) {
      spanId = value;
      return this;
    }

    public SpanBuilder parent(SpanId value) {
      parent = Optional.of(value);
      return this;
    }

    public SpanBuilder parent(Optional<SpanId> value) {
      parent = value;
      return this;
    }

    public SpanBuilder traceState(String value) {
      traceState = value;
      return this;
    }

    public SpanBuilder flags(int value) {
      flags = value;
      return this;
    }

    public SpanBuilder name(String value) {
      name = value;
      return this;
    }

    public SpanBuilder kind(SpanKind value) {
      kind = value;
      return this;
    }

    /** Sets the start and keeps the duration. */
    public SpanBuilder start(long unixNanos) {
      long duration = end - start;
      start = unixNanos;
      end = unixNanos + duration;
      return this;
    }

    public SpanBuilder end(long unixNanos) {
      end = unixNanos;
      return this;
    }

    public SpanBuilder durationNanos(long nanos) {
      end = start + nanos;
      return this;
    }

    public SpanBuilder attributes(List<Attribute> value) {
      attributes = value;
      return this;
    }

    public SpanBuilder droppedAttributesCount(int value) {
      droppedAttributesCount = value;
      return this;
    }

    public SpanBuilder events(List<SpanEvent> value) {
      events = value;
      return this;
    }

    public SpanBuilder droppedEventsCount(int value) {
      droppedEventsCount = value;
      return this;
    }

    public SpanBuilder links(List<SpanLink> value) {
      links = value;
      return this;
    }

    public SpanBuilder droppedLinksCount(int value) {
      droppedLinksCount = value;
      return this;
    }

    public SpanBuilder status(SpanStatus value) {
      status = value;
      return this;
    }

    public SpanBuilder error(String message) {
      status = new SpanStatus(StatusCode.ERROR, message);
      return this;
    }

    public SpanBuilder resource(Resource value) {
      resource = value;
      return this;
    }

    public SpanBuilder scope(InstrumentationScope value) {
      scope = value;
      return this;
    }

    public Span build() {
      return new Span(
          traceId,
          spanId,
          parent,
          traceState,
          flags,
          name,
          kind,
          start,
          end,
          attributes,
          droppedAttributesCount,
          events,
          droppedEventsCount,
          links,
          droppedLinksCount,
          status,
          resource,
          scope);
    }
  }
}
