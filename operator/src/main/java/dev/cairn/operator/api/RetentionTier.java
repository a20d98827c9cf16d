package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.model.wire.RetentionClass;

/** A retention tier as the CRD spells it; {@link #retentionClass()} is the wire contract's. */
public enum RetentionTier {
  @JsonProperty("standard")
  STANDARD(RetentionClass.STANDARD),
  @JsonProperty("extended")
  EXTENDED(RetentionClass.EXTENDED);

  private final RetentionClass retentionClass;

  RetentionTier(RetentionClass retentionClass) {
    this.retentionClass = retentionClass;
  }

  public RetentionClass retentionClass() {
    return retentionClass;
  }
}
