package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.query.testing.BoundedReadsProfile;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trace above the configured span cap is answered with its earliest spans, marked truncated. */
@QuarkusTest
@TestProfile(BoundedReadsProfile.class)
class TraceTruncationIT {

  private static final int SPANS = BoundedReadsProfile.MAX_SPANS + 10;

  @Test
  void aTraceAboveTheCapReturnsItsEarliestSpansAndSaysSo() {
    TraceId id = SpanFixtures.randomTraceId();
    long start = Instant.now().getEpochSecond() * 1_000_000_000L - 60_000_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < SPANS; i++) {
      spans.add(
          SpanFixtures.span(id, SpanFixtures.FRONTEND, "step " + i)
              .start(start + i * 1_000L)
              .end(start + i * 1_000L + 500L)
              .build());
    }
    List<Span> latestFirst = new ArrayList<>(spans);
    Collections.reverse(latestFirst);
    TestStore.writer(BoundedReadsProfile.SCHEMA).write(RetentionClass.STANDARD, latestFirst);

    ExtractableResponse<Response> response =
        given().get("/api/v1/traces/{id}", id.toHex()).then().statusCode(200).extract();

    assertThat(response.header("Cairn-Trace-Truncated")).isEqualTo("true");
    assertThat(response.header("Cairn-Trace-Spans-Returned"))
        .isEqualTo(Integer.toString(BoundedReadsProfile.MAX_SPANS));
    assertThat(response.header("Cairn-Trace-Span-Count")).isEqualTo(Integer.toString(SPANS));
    List<Span> returned = OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(response.asByteArray()));
    assertThat(returned)
        .containsExactlyElementsOf(
            spans.stream()
                .sorted(Comparator.comparingLong(Span::startTimeUnixNano))
                .limit(BoundedReadsProfile.MAX_SPANS)
                .toList());
  }
}
