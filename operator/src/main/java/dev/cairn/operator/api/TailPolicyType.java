package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of tail policy sampler-svc knows. */
public enum TailPolicyType {
  @JsonProperty("error")
  ERROR,
  @JsonProperty("latency")
  LATENCY,
  @JsonProperty("attribute")
  ATTRIBUTE,
  @JsonProperty("debug")
  DEBUG,
  @JsonProperty("probabilistic")
  PROBABILISTIC,
  @JsonProperty("rateLimit")
  RATE_LIMIT
}
