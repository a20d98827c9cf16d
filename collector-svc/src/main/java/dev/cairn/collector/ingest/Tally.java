package dev.cairn.collector.ingest;

import java.util.EnumMap;
import java.util.Map;

/** Counts of one sanitize pass; confined to the calling thread. */
final class Tally {
  final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
  final Map<CharacterReplacement, Long> replaced = new EnumMap<>(CharacterReplacement.class);
  int accepted;
  long truncated;

  void reject(RejectReason reason) {
    rejected.merge(reason, 1, Integer::sum);
  }

  String clean(String text) {
    return StringRepair.clean(text, replaced);
  }
}
