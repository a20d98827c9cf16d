package dev.cairn.query.federation;

import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceSpans;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads this region's store and every peer region at the same time and merges the answers ({@link
 * FederatedMerge}). A peer that fails, or gives no answer within the timeout, is left out of the
 * answer, named in its missing regions and reported to the listener; the answer never waits longer
 * than the timeout for a peer. This region's own store failing fails the request, as without
 * federation. Without peers, every call is the local reader's, unchanged. Data stays in its region:
 * only answers to the query cross.
 */
public final class Federation {

  private final TraceReader local;
  private final List<PeerRegion> peers;
  private final Duration timeout;
  private final PeerFailureListener failures;

  /**
   * @param peers the peer regions, in the order answers are merged and missing regions listed
   * @param timeout how long a peer may take to answer
   */
  public Federation(
      TraceReader local, List<PeerRegion> peers, Duration timeout, PeerFailureListener failures) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "cairn.query.federation.timeout must be positive, got " + timeout);
    }
    Set<String> names = new HashSet<>();
    for (PeerRegion peer : peers) {
      if (!names.add(peer.name())) {
        throw new IllegalArgumentException("peer region " + peer.name() + " is configured twice");
      }
    }
    this.local = local;
    this.peers = List.copyOf(peers);
    this.timeout = timeout;
    this.failures = failures;
  }

  /** The same store without the peers: what a peer region's request is answered from. */
  public Federation withoutPeers() {
    return peers.isEmpty() ? this : new Federation(local, List.of(), timeout, failures);
  }

  public Uni<FederatedAnswer<TraceSpans>> findTrace(TraceId traceId, int maxSpans) {
    return fanOut(
        reader -> reader.findTrace(traceId, maxSpans),
        parts -> FederatedMerge.spans(parts, maxSpans));
  }

  public Uni<FederatedAnswer<TracePage>> search(TraceQuery query) {
    return fanOut(
        reader -> reader.search(query), pages -> FederatedMerge.pages(pages, query.limit()));
  }

  public Uni<FederatedAnswer<List<String>>> services() {
    return fanOut(TraceReader::services, FederatedMerge::services);
  }

  public Uni<FederatedAnswer<List<Operation>>> operations(String service) {
    return fanOut(reader -> reader.operations(service), FederatedMerge::operations);
  }

  private <T> Uni<FederatedAnswer<T>> fanOut(
      Function<TraceReader, Uni<T>> ask, Function<List<T>, T> merge) {
    if (peers.isEmpty()) {
      return ask.apply(local).map(FederatedAnswer::complete);
    }
    List<Uni<Optional<T>>> calls = new ArrayList<>(1 + peers.size());
    calls.add(ask.apply(local).map(Optional::of));
    for (PeerRegion peer : peers) {
      calls.add(ask(peer, ask));
    }
    return Uni.join()
        .all(calls)
        .andFailFast()
        // The last answer may arrive on an event loop or the timer: merge (and whatever the caller
        // does with the answer, such as analysing a large trace) on a worker thread.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            answers -> {
              List<T> present = new ArrayList<>(answers.size());
              List<String> missing = new ArrayList<>();
              for (int i = 0; i < answers.size(); i++) {
                Optional<T> answer = answers.get(i);
                if (answer.isPresent()) {
                  present.add(answer.get());
                } else {
                  missing.add(peers.get(i - 1).name());
                }
              }
              return new FederatedAnswer<>(merge.apply(present), missing);
            });
  }

  /** The peer's answer, or empty when it failed or did not answer in time (never a failure). */
  private <T> Uni<Optional<T>> ask(PeerRegion peer, Function<TraceReader, Uni<T>> ask) {
    return Uni.createFrom()
        .deferred(() -> ask.apply(peer.reader()))
        .ifNoItem()
        .after(timeout)
        .failWith(
            () ->
                new PeerCallException(
                    PeerFailure.TIMEOUT, "no answer from " + peer.name() + " within " + timeout))
        .map(Optional::of)
        .onFailure()
        .recoverWithItem(
            failure -> {
              failures.failed(peer.name(), reason(failure), failure);
              return Optional.empty();
            });
  }

  private static PeerFailure reason(Throwable failure) {
    if (failure instanceof PeerCallException e) {
      return e.reason();
    }
    return failure instanceof io.smallrye.mutiny.TimeoutException
        ? PeerFailure.TIMEOUT
        : PeerFailure.BAD_RESPONSE;
  }
}
