package dev.cairn.sampler;

import dev.cairn.model.wire.RetentionClass;

/** What becomes of one consumed record. */
public sealed interface RecordOutcome {

  /** Publish {@code value} under {@code key} with the retention and reason headers. */
  record Kept(byte[] key, byte[] value, RetentionClass retention, String reason, int spanCount)
      implements RecordOutcome {}

  /** Sampled out: counted, not published. */
  record Dropped(String reason, int spanCount) implements RecordOutcome {}

  /** Not a valid wire record: counted by reason and skipped, never retried. */
  record Rejected(RejectReason reason, String detail) implements RecordOutcome {}
}
