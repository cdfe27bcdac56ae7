package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsUpToTheLimitThenAsksToRetryWhenTheWindowEnds() {
    assertThat(RateLimiter.decide(1, 3, 40)).isEqualTo(new RateLimiter.Decision(true, 3, 2, 0));
    assertThat(RateLimiter.decide(3, 3, 40)).isEqualTo(new RateLimiter.Decision(true, 3, 0, 0));
    assertThat(RateLimiter.decide(4, 3, 40)).isEqualTo(new RateLimiter.Decision(false, 3, 0, 40));
  }

  @Test
  void retryAfterIsAtLeastOneSecond() {
    assertThat(RateLimiter.decide(9, 3, 0).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void keysAreHashedNotStored() {
    assertThat(org.geohazard.auth.ApiKeyHash.of("secret")).hasSize(64).isNotEqualTo("secret")
        .isEqualTo(org.geohazard.auth.ApiKeyHash.of("secret"));
  }
}
