package dev.cairn.query.federation;

import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.QueryTimeoutException;
import dev.cairn.store.StoreUnavailableException;
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
 * than the timeout for a peer. This region's own store failing is the same: the peers' answer,
 * naming this region as missing (an engineer whose region's database is down still sees the other
 * regions); only when no region answered does the request fail, with the local store's failure.
 * Without peers, every call is the local reader's, unchanged. Data stays in its region: only
 * answers to the query cross.
 */
public final class Federation {

  private final PeerRegion local;
  private final List<PeerRegion> peers;
  private final Duration timeout;
  private final PeerFailureListener failures;

  /**
   * @param local this region (its name is {@code cairn.query.region}) and its own store
   * @param peers the peer regions, in the order answers are merged and missing regions listed
   * @param timeout how long a peer may take to answer
   */
  public Federation(
      PeerRegion local, List<PeerRegion> peers, Duration timeout, PeerFailureListener failures) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "cairn.query.federation.timeout must be positive, got " + timeout);
    }
    Set<String> names = new HashSet<>();
    names.add(local.name());
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

  /**
   * The traces of {@code traceIds} in that order (absent ones {@link TraceSpans#ABSENT}), each
   * region reading them all at once.
   */
  public Uni<FederatedAnswer<List<TraceSpans>>> findTraces(List<TraceId> traceIds, int maxSpans) {
    return fanOut(
        reader -> reader.findTraces(traceIds, maxSpans),
        parts -> FederatedMerge.traces(parts, traceIds.size(), maxSpans));
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
      return ask.apply(local.reader()).map(FederatedAnswer::complete);
    }
    List<Uni<Reply<T>>> calls = new ArrayList<>(1 + peers.size());
    calls.add(
        ask.apply(local.reader())
            .map(Reply::of)
            .onFailure()
            .recoverWithItem(failure -> Reply.failed(local, failure, failures)));
    for (PeerRegion peer : peers) {
      calls.add(ask(peer, ask));
    }
    return Uni.join()
        .all(calls)
        .andFailFast()
        // The last answer may arrive on an event loop or the timer: merge (and whatever the caller
        // does with the answer, such as analysing a large trace) on a worker thread.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .flatMap(
            replies -> {
              List<T> present = new ArrayList<>(replies.size());
              List<String> missing = new ArrayList<>();
              for (int i = 0; i < replies.size(); i++) {
                Reply<T> reply = replies.get(i);
                if (reply.answer().isPresent()) {
                  present.add(reply.answer().get());
                } else {
                  missing.add(i == 0 ? local.name() : peers.get(i - 1).name());
                }
              }
              Throwable localFailure = replies.get(0).failure();
              if (present.isEmpty() && localFailure != null) {
                return Uni.createFrom().failure(localFailure);
              }
              return Uni.createFrom().item(new FederatedAnswer<>(merge.apply(present), missing));
            });
  }

  /** A region's answer, or why it gave none. */
  private record Reply<T>(Optional<T> answer, Throwable failure) {

    static <T> Reply<T> of(T answer) {
      return new Reply<>(Optional.of(answer), null);
    }

    static <T> Reply<T> failed(PeerRegion region, Throwable failure, PeerFailureListener failures) {
      failures.failed(region.name(), reason(failure), failure);
      return new Reply<>(Optional.empty(), failure);
    }
  }

  /** The peer's answer, or none when it failed or did not answer in time (never a failure). */
  private <T> Uni<Reply<T>> ask(PeerRegion peer, Function<TraceReader, Uni<T>> ask) {
    return Uni.createFrom()
        .deferred(() -> ask.apply(peer.reader()))
        .ifNoItem()
        .after(timeout)
        .failWith(
            () ->
                new PeerCallException(
                    PeerFailure.TIMEOUT, "no answer from " + peer.name() + " within " + timeout))
        .map(Reply::of)
        .onFailure()
        .recoverWithItem(failure -> Reply.failed(peer, failure, failures));
  }

  private static PeerFailure reason(Throwable failure) {
    if (failure instanceof PeerCallException e) {
      return e.reason();
    }
    if (failure instanceof QueryTimeoutException
        || failure instanceof io.smallrye.mutiny.TimeoutException) {
      return PeerFailure.TIMEOUT;
    }
    if (failure instanceof StoreUnavailableException) {
      return PeerFailure.UNREACHABLE;
    }
    return PeerFailure.BAD_RESPONSE;
  }
}
