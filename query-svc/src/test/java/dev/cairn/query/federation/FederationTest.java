package dev.cairn.query.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.StoreUnavailableException;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FederationTest {

  static final TraceQuery QUERY =
      new TraceQuery(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          false,
          Instant.ofEpochSecond(0),
          Instant.ofEpochSecond(1000),
          10,
          Optional.empty());

  record Failure(String region, PeerFailure reason) {}

  final List<Failure> failures = new ArrayList<>();
  final PeerFailureListener listener =
      (region, reason, cause) -> {
        synchronized (failures) {
          failures.add(new Failure(region, reason));
        }
      };

  /** A region's store answering with fixed data, or failing, or never answering. */
  static final class FakeRegion implements TraceReader {
    final AtomicInteger calls = new AtomicInteger();
    final Uni<TraceSpans> trace;
    final Uni<TracePage> page;

    FakeRegion(Uni<TraceSpans> trace, Uni<TracePage> page) {
      this.trace = trace;
      this.page = page;
    }

    static FakeRegion answering(TraceSpans trace, TraceSummary... found) {
      return new FakeRegion(
          Uni.createFrom().item(trace),
          Uni.createFrom().item(new TracePage(List.of(found), Optional.empty())));
    }

    static FakeRegion failing(RuntimeException failure) {
      return new FakeRegion(Uni.createFrom().failure(failure), Uni.createFrom().failure(failure));
    }

    static FakeRegion silent() {
      return new FakeRegion(Uni.createFrom().nothing(), Uni.createFrom().nothing());
    }

    @Override
    public Uni<TraceSpans> findTrace(TraceId traceId, int maxSpans) {
      calls.incrementAndGet();
      return trace;
    }

    /** What {@link #findTraces} answers, whatever the ids. */
    List<TraceSpans> traces = List.of();

    @Override
    public Uni<List<TraceSpans>> findTraces(List<TraceId> traceIds, int maxSpansEach) {
      calls.incrementAndGet();
      return trace.map(ignored -> traces);
    }

    @Override
    public Uni<TracePage> search(TraceQuery query) {
      calls.incrementAndGet();
      return page;
    }

    @Override
    public Uni<List<String>> services() {
      calls.incrementAndGet();
      return page.map(p -> p.traces().stream().map(TraceSummary::rootServiceName).toList());
    }

    @Override
    public Uni<List<Operation>> operations(String service) {
      calls.incrementAndGet();
      return Uni.createFrom().item(List.of());
    }
  }

  static TraceSpans spans(long... ids) {
    List<dev.cairn.model.Span> spans = new ArrayList<>();
    for (long id : ids) {
      spans.add(FederatedMergeTest.span(id, id * 100));
    }
    return new TraceSpans(spans, false, spans.size());
  }

  Federation federation(TraceReader local, PeerRegion... peers) {
    return new Federation(
        new PeerRegion("here", local), List.of(peers), Duration.ofMillis(200), listener);
  }

  @Test
  void aTraceStoredOnlyInAPeerIsFound() {
    Federation federation =
        federation(
            FakeRegion.answering(TraceSpans.ABSENT),
            new PeerRegion("eu", FakeRegion.answering(spans(1, 2))));

    FederatedAnswer<TraceSpans> found =
        federation.findTrace(FederatedMergeTest.TRACE, 100).await().indefinitely();

    assertThat(found.answer().spans()).hasSize(2);
    assertThat(found.missingRegions()).isEmpty();
    assertThat(failures).isEmpty();
  }

  @Test
  void aSilentPeerIsMissingAfterTheTimeoutAndTheOthersStillAnswer() {
    Federation federation =
        federation(
            FakeRegion.answering(
                spans(1), FederatedMergeTest.summary(FederatedMergeTest.id(1), 5, "a")),
            new PeerRegion("eu", FakeRegion.silent()),
            new PeerRegion(
                "us",
                FakeRegion.answering(
                    spans(2), FederatedMergeTest.summary(FederatedMergeTest.id(2), 7, "b"))));

    FederatedAnswer<TraceSpans> trace =
        federation.findTrace(FederatedMergeTest.TRACE, 100).await().atMost(Duration.ofSeconds(30));
    FederatedAnswer<TracePage> page =
        federation.search(QUERY).await().atMost(Duration.ofSeconds(30));

    assertThat(trace.answer().spans()).extracting(s -> s.spanId().value()).containsExactly(1L, 2L);
    assertThat(trace.missingRegions()).containsExactly("eu");
    assertThat(page.answer().traces())
        .extracting(s -> s.rootServiceName())
        .containsExactly("b", "a");
    assertThat(page.missingRegions()).containsExactly("eu");
    assertThat(failures)
        .containsExactly(
            new Failure("eu", PeerFailure.TIMEOUT), new Failure("eu", PeerFailure.TIMEOUT));
  }

  @Test
  void aFailingPeerIsMissingWithItsReason() {
    Federation federation =
        federation(
            FakeRegion.answering(spans(1)),
            new PeerRegion(
                "eu",
                FakeRegion.failing(new PeerCallException(PeerFailure.UNREACHABLE, "refused"))),
            new PeerRegion("us", FakeRegion.failing(new IllegalStateException("garbled"))));

    FederatedAnswer<TraceSpans> found =
        federation.findTrace(FederatedMergeTest.TRACE, 100).await().indefinitely();

    assertThat(found.answer().spans()).hasSize(1);
    assertThat(found.missingRegions()).containsExactly("eu", "us");
    assertThat(failures)
        .containsExactlyInAnyOrder(
            new Failure("eu", PeerFailure.UNREACHABLE),
            new Failure("us", PeerFailure.BAD_RESPONSE));
  }

  @Test
  void thisRegionsStoreFailingGivesThePeersAnswerNamingThisRegion() {
    Federation federation =
        federation(
            FakeRegion.failing(new StoreUnavailableException("down", new RuntimeException())),
            new PeerRegion(
                "eu",
                FakeRegion.answering(
                    spans(1), FederatedMergeTest.summary(FederatedMergeTest.id(1), 5, "a"))));

    FederatedAnswer<TraceSpans> found =
        federation.findTrace(FederatedMergeTest.TRACE, 100).await().indefinitely();
    FederatedAnswer<List<String>> services = federation.services().await().indefinitely();

    assertThat(found.answer().spans()).hasSize(1);
    assertThat(found.missingRegions()).containsExactly("here");
    assertThat(services.answer()).containsExactly("a");
    assertThat(services.missingRegions()).containsExactly("here");
    assertThat(failures)
        .containsExactly(
            new Failure("here", PeerFailure.UNREACHABLE),
            new Failure("here", PeerFailure.UNREACHABLE));
  }

  @Test
  void whenNoRegionAnswersTheRequestFailsWithThisRegionsFailure() {
    Federation federation =
        federation(
            FakeRegion.failing(new StoreUnavailableException("down", new RuntimeException())),
            new PeerRegion("eu", FakeRegion.silent()));

    assertThatThrownBy(
            () ->
                federation
                    .findTrace(FederatedMergeTest.TRACE, 100)
                    .await()
                    .atMost(Duration.ofSeconds(30)))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void tracesReadTogetherAreMergedTraceByTraceInTheOrderAsked() {
    TraceId first = TraceId.fromHex(FederatedMergeTest.id(1));
    TraceId second = TraceId.fromHex(FederatedMergeTest.id(2));
    FakeRegion here = FakeRegion.answering(TraceSpans.ABSENT);
    here.traces = List.of(spans(1, 2), TraceSpans.ABSENT);
    FakeRegion eu = FakeRegion.answering(TraceSpans.ABSENT);
    eu.traces = List.of(spans(2, 3), spans(4));
    Federation federation =
        federation(here, new PeerRegion("eu", eu), new PeerRegion("us", FakeRegion.silent()));

    FederatedAnswer<List<TraceSpans>> found =
        federation.findTraces(List.of(first, second), 2).await().atMost(Duration.ofSeconds(30));

    assertThat(found.answer().get(0).spans())
        .extracting(s -> s.spanId().value())
        .containsExactly(1L, 2L);
    assertThat(found.answer().get(0).truncated()).isTrue();
    assertThat(found.answer().get(1).spans())
        .extracting(s -> s.spanId().value())
        .containsExactly(4L);
    assertThat(found.missingRegions()).containsExactly("us");
    assertThat(here.calls).hasValue(1);
    assertThat(eu.calls).hasValue(1);
  }

  @Test
  void withoutPeersOnlyTheLocalStoreIsAsked() {
    FakeRegion local = FakeRegion.answering(spans(1));
    FakeRegion peer = FakeRegion.answering(spans(2));
    Federation federation = federation(local, new PeerRegion("eu", peer)).withoutPeers();

    FederatedAnswer<TraceSpans> found =
        federation.findTrace(FederatedMergeTest.TRACE, 100).await().indefinitely();

    assertThat(found.answer().spans()).hasSize(1);
    assertThat(peer.calls).hasValue(0);
    assertThat(local.calls).hasValue(1);
  }

  @Test
  void aPeerConfiguredTwiceIsRefused() {
    FakeRegion peer = FakeRegion.answering(TraceSpans.ABSENT);
    assertThatThrownBy(
            () ->
                federation(
                    FakeRegion.answering(TraceSpans.ABSENT),
                    new PeerRegion("eu", peer),
                    new PeerRegion("eu", peer)))
        .hasMessageContaining("eu");
  }
}
