package dev.cairn.sampler;

import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/** What becomes of one consumed record. */
public sealed interface RecordOutcome {

  /**
   * Publish each of {@code values} under {@code key}, in order, with the retention and reason
   * headers: one value, unless the policy's rewrite made the record larger than a record may be.
   */
  record Kept(
      byte[] key, List<byte[]> values, RetentionClass retention, String reason, int spanCount)
      implements RecordOutcome {
    public Kept {
      values = List.copyOf(values);
    }
  }

  /** Sampled out: counted, not published. */
  record Dropped(String reason, int spanCount) implements RecordOutcome {}

  /** Not a valid wire record: counted by reason and skipped, never retried. */
  record Rejected(RejectReason reason, String detail) implements RecordOutcome {}
}
