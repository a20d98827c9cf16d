package dev.cairn.loadgen.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class SurfaceTest {

  private static final String BASE = "http://127.0.0.1:16686";
  private static final String SEARCH =
      "service=svc-002&tag=http.method%3APOST&tag=k8s.pod.name:p-1&minDuration=100ms"
          + "&start=1764700000123456789&end=1764703600000000001&limit=20";

  @Test
  void traceByIdGoesToEachSurfacesOwnPath() {
    String id = "4bf92f3577b34da6a3ce929d0e0e4736";

    assertThat(uri(Surface.REST.trace(BASE, id))).isEqualTo(BASE + "/api/v1/traces/" + id);
    assertThat(uri(Surface.REST_VIEW.trace(BASE, id)))
        .isEqualTo(BASE + "/api/v1/traces/" + id + "/view");
    assertThat(uri(Surface.JAEGER.trace(BASE, id))).isEqualTo(BASE + "/jaeger/api/traces/" + id);
    HttpRequest graphql = Surface.GRAPHQL.trace(BASE, id).build();
    assertThat(graphql.uri().toString()).isEqualTo(BASE + "/graphql");
    assertThat(graphql.method()).isEqualTo("POST");
  }

  @Test
  void graphQLAsksTheSameSearchAsVariables() {
    assertThat(Surface.graphQLVariables(Surface.parse(SEARCH)))
        .isEqualTo(
            "{\"filter\":{\"service\":\"svc-002\",\"minDuration\":\"100ms\","
                + "\"start\":\"1764700000123456789\",\"end\":\"1764703600000000001\","
                + "\"tags\":[\"http.method:POST\",\"k8s.pod.name:p-1\"]},\"first\":20}");
    assertThat(Surface.graphQLVariables(Surface.parse("error=true")))
        .isEqualTo("{\"filter\":{\"error\":true}}");
  }

  @Test
  void jaegerGetsMicrosecondsWithTheEndRoundedUpAndErrorsAsATag() {
    assertThat(Surface.jaegerQuery(Surface.parse(SEARCH + "&error=true")))
        .isEqualTo(
            "service=svc-002&tag=http.method%3APOST&tag=k8s.pod.name%3Ap-1&minDuration=100ms"
                + "&start=1764700000123456&end=1764703600000001&limit=20&tag=error%3Atrue");
    assertThat(Surface.jaegerQuery(Surface.parse("end=1764703600000000000")))
        .isEqualTo("end=1764703600000000");
    assertThatThrownBy(() -> Surface.jaegerQuery(Surface.parse("cursor=abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
  }

  @Test
  void restKeepsTheQueryStringAsGiven() {
    assertThat(uri(Surface.REST.search(BASE, SEARCH))).isEqualTo(BASE + "/api/v1/traces?" + SEARCH);
    assertThatThrownBy(() -> Surface.REST_VIEW.search(BASE, SEARCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Surface.GRAPHQL_LEAN.search(BASE, SEARCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("graphql-lean");
  }

  @Test
  void labelsRoundTrip() {
    for (Surface s : Surface.values()) {
      assertThat(Surface.ofLabel(s.label())).isEqualTo(s);
    }
    assertThat(Surface.ofLabel(" rest-view")).isEqualTo(Surface.REST_VIEW);
  }

  @Test
  void aGraphQLAnswerWithErrorsIsNotCountedAsOk() {
    assertThat(
            SurfacesBenchCommand.status(
                Surface.GRAPHQL, 200, "{\"errors\":[{\"message\":\"boom\"}],\"data\":null}"))
        .isEqualTo("graphql-error");
    assertThat(
            SurfacesBenchCommand.status(
                Surface.GRAPHQL, 200, "{\"data\":{\"trace\":{\"key\":\"errors\"}}}"))
        .isEqualTo("200");
    assertThat(SurfacesBenchCommand.status(Surface.REST, 503, "")).isEqualTo("503");
  }

  @Test
  void countsTracesOfASearchPageOnEachSurface() {
    String rest = "{\"traces\":[{\"traceId\":\"a\"},{\"traceId\":\"b\"}],\"nextCursor\":null}";
    String jaeger =
        "{\"data\":[{\"traceID\":\"a\",\"spans\":[{\"traceID\":\"a\"}],\"processes\":{}},"
            + "{\"traceID\":\"b\",\"spans\":[],\"processes\":{}}]}";

    assertThat(SurfacesBenchCommand.results(Surface.REST, true, rest)).isEqualTo(2);
    assertThat(SurfacesBenchCommand.results(Surface.JAEGER, true, jaeger)).isEqualTo(2);
    assertThat(SurfacesBenchCommand.results(Surface.REST, false, rest)).isEqualTo(-1);
  }

  private static String uri(HttpRequest.Builder builder) {
    return builder.build().uri().toString();
  }
}
