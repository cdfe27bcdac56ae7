package org.geohazard.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.geohazard.bus.Failure;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(3, 500, 4000, 60_000);

  @Test
  void retriesFailuresThatMayPassUntilTheLastAttempt() {
    assertThat(policy.shouldRetry(1, Failure.Code.INTERNAL_ERROR, 0)).isTrue();
    assertThat(policy.shouldRetry(2, Failure.Code.INTERNAL_ERROR, 0)).isTrue();
    assertThat(policy.shouldRetry(3, Failure.Code.INTERNAL_ERROR, 0)).isFalse();
  }

  @Test
  void anOutageIsWaitedOutForItsBudgetHoweverManyAttemptsThatTakes() {
    assertThat(policy.shouldRetry(3, Failure.Code.UNAVAILABLE, 1_000)).isTrue();
    assertThat(policy.shouldRetry(40, Failure.Code.UNAVAILABLE, 59_999)).isTrue();
    assertThat(policy.shouldRetry(40, Failure.Code.UNAVAILABLE, 60_000)).as("budget spent").isFalse();
    // A budget shorter than the attempts' own span still gives the usual attempts.
    assertThat(new RetryPolicy(3, 500, 4000, 0).shouldRetry(2, Failure.Code.UNAVAILABLE, 10_000)).isTrue();
  }

  @Test
  void neverRetriesWhatRetryingCannotFix() {
    assertThat(policy.shouldRetry(1, Failure.Code.INVALID_IMAGE, 0)).isFalse();
    assertThat(policy.shouldRetry(1, Failure.Code.NOT_FOUND, 0)).isFalse();
    assertThat(policy.shouldRetry(1, Failure.Code.INVALID_REQUEST, 0)).isFalse();
  }

  @Test
  void backoffDoublesAndIsCapped() {
    assertThat(policy.backoffMs(1)).isZero();
    assertThat(policy.backoffMs(2)).isEqualTo(500);
    assertThat(policy.backoffMs(3)).isEqualTo(1000);
    assertThat(policy.backoffMs(4)).isEqualTo(2000);
    assertThat(policy.backoffMs(10)).isEqualTo(4000);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(1, 10, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(1, 1, 5, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
