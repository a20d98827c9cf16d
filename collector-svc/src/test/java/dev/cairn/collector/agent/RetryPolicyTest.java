package dev.cairn.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UNAVAILABLE",
        "RESOURCE_EXHAUSTED",
        "DEADLINE_EXCEEDED",
        "CANCELLED",
        "ABORTED",
        "OUT_OF_RANGE",
        "DATA_LOSS"
      })
  void aGatewayThatIsDownSlowOrOverloadedIsRetried(String code) {
    assertThat(RetryPolicy.isRetryable(code)).isTrue();
    assertThat(new ExportResult.Failed(code, "").retryable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INVALID_ARGUMENT",
        "UNIMPLEMENTED",
        "PERMISSION_DENIED",
        "UNAUTHENTICATED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "FAILED_PRECONDITION",
        "INTERNAL",
        "UNKNOWN",
        "OK",
        "no such code"
      })
  void anExportTheGatewayRefusedForGoodIsNot(String code) {
    assertThat(RetryPolicy.isRetryable(code)).isFalse();
  }
}
