package org.geohazard.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(3, 500, 4000);

  @Test
  void retriesRetryableFailuresUntilTheLastAttempt() {
    assertThat(policy.shouldRetry(1, true)).isTrue();
    assertThat(policy.shouldRetry(2, true)).isTrue();
    assertThat(policy.shouldRetry(3, true)).isFalse();
  }

  @Test
  void neverRetriesWhatRetryingCannotFix() {
    assertThat(policy.shouldRetry(1, false)).isFalse();
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
    assertThatThrownBy(() -> new RetryPolicy(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(1, 10, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
