package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.everyAttributeType;
import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.cairn.model.Attribute;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQueryBuilder;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recheck read off a segment's bytes answers as the test on its decoded spans did before (kept
 * here as the reference): for every query of a grid over segments of mixed services, names,
 * durations, starts at the window's edge and attributes of every type.
 */
class SegmentMatchTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final long START_NANOS = PgTraceReader.unixNano(START);

  /** The test on decoded spans before SegmentMatch, verbatim. */
  private static boolean referenceAnyMatches(TraceQuery query, List<Span> spans) {
    long fromMicros = Math.floorDiv(PgTraceReader.unixNano(query.start()), 1000);
    for (Span span : spans) {
      if (Math.floorDiv(span.startTimeUnixNano(), 1000) >= fromMicros
          && referenceMatches(query, span)) {
        return true;
      }
    }
    return false;
  }

  private static boolean referenceMatches(TraceQuery query, Span span) {
    if (query.service().isPresent() && !query.service().get().equals(span.serviceName())) {
      return false;
    }
    if (query.operation().isPresent() && !query.operation().get().equals(span.name())) {
      return false;
    }
    long duration = span.durationNanos();
    if (query.minDuration().isPresent()
        && duration < SpanCriteria.nanos(query.minDuration().get())) {
      return false;
    }
    if (query.maxDuration().isPresent()
        && duration > SpanCriteria.nanos(query.maxDuration().get())) {
      return false;
    }
    if (query.tags().isEmpty()) {
      return true;
    }
    Map<String, String> spanTags = AttributeJson.scalarTexts(span.attributes());
    Map<String, String> resourceTags = AttributeJson.scalarTexts(span.resource().attributes());
    for (TraceQuery.TagFilter tag : query.tags()) {
      if (!tag.value().equals(spanTags.get(tag.key()))
          && !tag.value().equals(resourceTags.get(tag.key()))) {
        return false;
      }
    }
    return true;
  }

  private static final List<Resource> RESOURCES =
      List.of(
          new Resource(
              List.of(
                  Attribute.of(Resource.SERVICE_NAME, "svc-a"), Attribute.of("host.name", "h1")),
              0,
              ""),
          new Resource(
              List.of(
                  Attribute.of("region", "eu"),
                  Attribute.of(Resource.SERVICE_NAME, "svc-b"),
                  Attribute.of(Resource.SERVICE_NAME, "svc-a")), // the first value names it
              0,
              ""),
          new Resource(List.of(Attribute.of("host.name", "h2")), 0, ""), // unknown_service
          new Resource(List.of(Attribute.of(Resource.SERVICE_NAME, "")), 0, ""),
          new Resource(List.of(Attribute.of(Resource.SERVICE_NAME, 7)), 0, ""),
          Resource.EMPTY);

  private static final List<String> NAMES = List.of("GET /a", "POST /b", "café ü", "");

  /** Starts around the window's start, down to the nanosecond that changes the microsecond. */
  private static final long[] START_OFFSETS = {-1_000, -1, 0, 999, 1_000, 5_000_000_000L};

  private static final long[] DURATIONS = {0, 50_000_000, 100_000_000, 500_000_000, 2_000_000_000};

  private static final List<List<Attribute>> ATTRIBUTES =
      List.of(
          List.of(),
          List.of(Attribute.of("http.method", "GET"), Attribute.of("app.customer_id", "c-1")),
          List.of(Attribute.of("http.method", "POST"), Attribute.of("region", "us")),
          everyAttributeType());

  private static List<List<Span>> segments() {
    Random random = new Random(20261204);
    List<List<Span>> segments = new ArrayList<>();
    for (int s = 0; s < 150; s++) {
      TraceId trace = randomTraceId();
      List<Span> spans = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        Span plain =
            span(
                trace,
                randomSpanId(),
                Optional.empty(),
                "unused",
                NAMES.get(random.nextInt(NAMES.size())),
                START_NANOS + START_OFFSETS[random.nextInt(START_OFFSETS.length)],
                DURATIONS[random.nextInt(DURATIONS.length)]);
        Span withResource =
            new Span(
                plain.traceId(),
                plain.spanId(),
                plain.parentSpanId(),
                plain.traceState(),
                plain.flags(),
                plain.name(),
                plain.kind(),
                plain.startTimeUnixNano(),
                plain.endTimeUnixNano(),
                plain.attributes(),
                plain.droppedAttributesCount(),
                plain.events(),
                plain.droppedEventsCount(),
                plain.links(),
                plain.droppedLinksCount(),
                plain.status(),
                RESOURCES.get(random.nextInt(RESOURCES.size())),
                plain.scope());
        spans.add(withAttributes(withResource, ATTRIBUTES.get(random.nextInt(ATTRIBUTES.size()))));
      }
      segments.add(spans);
    }
    return segments;
  }

  private static List<TraceQuery> queries() {
    List<Optional<String>> services =
        List.of(
            Optional.empty(),
            Optional.of("svc-a"),
            Optional.of("svc-b"),
            Optional.of(Resource.UNKNOWN_SERVICE),
            Optional.of("7"));
    List<Optional<String>> operations =
        List.of(Optional.empty(), Optional.of("GET /a"), Optional.of("café ü"));
    List<List<String[]>> tagSets =
        List.of(
            List.of(),
            List.<String[]>of(new String[] {"http.method", "GET"}),
            List.<String[]>of(new String[] {"host.name", "h1"}), // a resource tag
            List.<String[]>of(new String[] {"int", Long.toString(Long.MIN_VALUE)}),
            List.<String[]>of(new String[] {"int", "42"}), // the duplicate, not the first value
            List.<String[]>of(new String[] {"double", "0.1"}, new String[] {"bool", "true"}),
            List.<String[]>of(new String[] {"region", "us"}, new String[] {"http.method", "POST"}));
    List<Duration[]> durations =
        List.of(
            new Duration[] {null, null},
            new Duration[] {Duration.ofMillis(100), null},
            new Duration[] {null, Duration.ofMillis(100)},
            new Duration[] {Duration.ofMillis(500), Duration.ofSeconds(2)});
    List<TraceQuery> queries = new ArrayList<>();
    for (Optional<String> service : services) {
      for (Optional<String> operation : operations) {
        for (List<String[]> tags : tagSets) {
          for (Duration[] bounds : durations) {
            TraceQueryBuilder b = TraceQueryBuilder.between(START, START.plusSeconds(3600));
            service.ifPresent(b::service);
            operation.ifPresent(b::operation);
            tags.forEach(tag -> b.tag(tag[0], tag[1]));
            b.durations(bounds[0], bounds[1]);
            queries.add(b.build());
          }
        }
      }
    }
    return queries;
  }

  @Test
  void answersAsTheTestOnDecodedSpansForEveryQueryAndSegment() throws IOException {
    List<List<Span>> segments = segments();
    List<TraceQuery> queries = queries();
    int matched = 0;
    for (List<Span> spans : segments) {
      byte[] bytes = SegmentCodec.raw(spans);
      List<Span> decoded = OtlpSpanMapper.toSpans(TracesData.parseFrom(bytes));
      for (TraceQuery query : queries) {
        boolean expected = referenceAnyMatches(query, decoded);
        assertThat(SegmentMatch.anyMatches(query, bytes))
            .as(query + " on " + spans)
            .isEqualTo(expected);
        matched += expected ? 1 : 0;
      }
    }
    // the grid has both answers, and many of each
    int total = segments.size() * queries.size();
    assertThat(matched).isGreaterThan(total / 50).isLessThan(total - total / 50);
  }

  @Test
  void readsTheStoredPayloadAsTheDecoderDoes() {
    List<Span> spans = segments().get(0);
    byte[] payload = SegmentCodec.encode(spans, null);
    byte[] bytes = SegmentCodec.decompress(payload, id -> null);
    for (TraceQuery query : queries()) {
      assertThat(SegmentMatch.anyMatches(query, bytes))
          .isEqualTo(referenceAnyMatches(query, SegmentCodec.decode(payload, id -> null)));
    }
  }

  /** A resource sent in two parts is one resource, as the protobuf parser merges it. */
  @Test
  void aResourceInTwoPartsIsMerged() throws IOException {
    Span span =
        span(randomTraceId(), randomSpanId(), Optional.empty(), "svc-a", "GET /a", START_NANOS, 1);
    ResourceSpans whole = OtlpSpanMapper.toTracesData(List.of(span)).getResourceSpans(0);
    ResourceSpans serviceOnly =
        whole.toBuilder()
            .clearScopeSpans()
            .setResource(
                whole.getResource().toBuilder()
                    .clearAttributes()
                    .addAttributes(whole.getResource().getAttributes(0)))
            .build();
    ResourceSpans rest =
        whole.toBuilder()
            .setResource(
                whole.getResource().toBuilder()
                    .clearAttributes()
                    .addAttributes(whole.getResource().getAttributes(1)))
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    byte[] parts = concat(serviceOnly.toByteArray(), rest.toByteArray());
    coded.writeByteArray(TracesData.RESOURCE_SPANS_FIELD_NUMBER, parts);
    coded.flush();
    byte[] bytes = out.toByteArray();

    List<Span> decoded = OtlpSpanMapper.toSpans(TracesData.parseFrom(bytes));
    assertThat(decoded.get(0).resource().attributes()).hasSize(2);
    TraceQuery both =
        TraceQueryBuilder.between(START, START.plusSeconds(1))
            .service("svc-a")
            .tag("host.name", "h1")
            .build();
    assertThat(referenceAnyMatches(both, decoded)).isTrue();
    assertThat(SegmentMatch.anyMatches(both, bytes)).isTrue();
  }

  @Test
  void bytesThatAreNoTracesDataAreRefused() {
    byte[] garbage = {0x0a, 0x7f, 0x01};
    TraceQuery query = TraceQueryBuilder.between(START, START.plusSeconds(1)).build();
    assertThatThrownBy(() -> SegmentMatch.anyMatches(query, garbage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not decode");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
