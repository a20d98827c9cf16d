package dev.cairn.query.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A peer is asked exactly the question this region was asked. */
class PeerQueryClientTest {

  private final SearchRequestParser parser =
      new SearchRequestParser(
          Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC),
          Duration.ofHours(1),
          20,
          Duration.ofDays(30));

  @Test
  void theSearchSentToAPeerParsesBackToTheSameQuery() {
    TraceQuery query =
        new TraceQuery(
            Optional.of("check out+1"),
            Optional.of("GET /cart?x=1&y=2"),
            List.of(
                new TraceQuery.TagFilter("http.url", "https://a.example/p?q=1&r=%20"),
                new TraceQuery.TagFilter("k8s.pod.name", "web-7:8")),
            Optional.of(Duration.ofNanos(1_500_001)),
            Optional.of(Duration.ofSeconds(90)),
            true,
            Instant.parse("2026-12-02T10:00:00.123456789Z"),
            Instant.parse("2026-12-02T11:59:59Z"),
            37,
            Optional.of(
                new SearchCursor(
                    1_764_670_000_000_000_123L,
                    TraceId.fromHex("ffffffffffffffff0000000000000001"))));

    assertThat(parser.parse(decode(PeerQueryClient.parameters(query)))).isEqualTo(query);
  }

  @Test
  void aFirstPageWithoutFiltersSendsOnlyWindowAndLimit() {
    TraceQuery query =
        new TraceQuery(
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            false,
            Instant.parse("2026-12-02T11:00:00Z"),
            Instant.parse("2026-12-02T12:00:00Z"),
            20,
            Optional.empty());

    Map<String, List<String>> sent = decode(PeerQueryClient.parameters(query));

    assertThat(sent.keySet()).containsExactly("start", "end", "limit");
    assertThat(parser.parse(sent)).isEqualTo(query);
  }

  /** As JAX-RS decodes a query string. */
  private static Map<String, List<String>> decode(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      parameters
          .computeIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              k -> new ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
