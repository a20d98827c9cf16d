package dev.cairn.operator.webhook.certificate;

import java.time.Duration;

/**
 * How long an issued certificate is valid, and how long before its end it is replaced (so that a
 * failed renewal has time to be noticed and retried).
 */
public record RenewalPolicy(Duration validity, Duration renewBefore) {

  public RenewalPolicy {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("certificate validity must be positive: " + validity);
    }
    if (renewBefore.isNegative() || renewBefore.compareTo(validity) >= 0) {
      throw new IllegalArgumentException(
          "renew-before must be in [0, validity): " + renewBefore + " of " + validity);
    }
  }
}
