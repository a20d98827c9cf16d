package dev.cairn.collector.ingest;

import java.util.EnumMap;
import java.util.Map;

/** Counts of one sanitize pass; confined to the calling thread. */
final class Tally {
  final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
  int accepted;
  long truncated;

  void reject(RejectReason reason) {
    rejected.merge(reason, 1, Integer::sum);
  }
}
