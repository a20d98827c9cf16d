package dev.cairn.query.federation;

/** Told of every peer call that gave no answer (the metric; a lambda in tests). */
@FunctionalInterface
public interface PeerFailureListener {

  void failed(String region, PeerFailure reason, Throwable cause);
}
