package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of tail policy sampler-svc knows. */
public enum TailPolicyType {
  @JsonProperty("error")
  ERROR("error"),
  @JsonProperty("latency")
  LATENCY("latency"),
  @JsonProperty("attribute")
  ATTRIBUTE("attribute"),
  @JsonProperty("debug")
  DEBUG("debug"),
  @JsonProperty("probabilistic")
  PROBABILISTIC("probabilistic"),
  @JsonProperty("rateLimit")
  RATE_LIMIT("rateLimit");

  private final String wireName;

  TailPolicyType(String wireName) {
    this.wireName = wireName;
  }

  /** The type as the CRD spells it (its {@code @JsonProperty}). */
  public String wireName() {
    return wireName;
  }
}
