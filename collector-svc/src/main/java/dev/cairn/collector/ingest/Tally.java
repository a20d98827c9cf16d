package dev.cairn.collector.ingest;

import java.util.EnumMap;
import java.util.Map;

/** Counts of one sanitize pass; confined to the calling thread. */
final class Tally {
  final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
  final Map<CharacterReplacement, Long> replaced = new EnumMap<>(CharacterReplacement.class);

  /** Whether strings may hold unpaired surrogates (they were not decoded from valid UTF-8). */
  final boolean checkSurrogates;

  int accepted;
  long truncated;

  Tally(boolean checkSurrogates) {
    this.checkSurrogates = checkSurrogates;
  }

  void reject(RejectReason reason) {
    rejected.merge(reason, 1, Integer::sum);
  }

  String clean(String text) {
    return StringRepair.clean(text, checkSurrogates, replaced);
  }
}
