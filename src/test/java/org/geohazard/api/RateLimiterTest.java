package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  /** Redis's counters, as a map: what several nodes' limiters share. */
  private static final class SharedCounts implements RateLimiter.SharedCounter {
    final Map<String, Long> totals = new HashMap<>();
    int calls;

    @Override
    public Future<Long> add(String key, long n, int ttlSeconds) {
      calls++;
      return Future.succeededFuture(totals.merge(key, n, Long::sum));
    }
  }

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T20:00:10Z"), ZoneOffset.UTC);

  @Test
  void onlyAClientsFirstRequestInAWindowWaitsForRedisTheRestAreSentInOneAddPerSync() {
    SharedCounts redis = new SharedCounts();
    RateLimiter limiter = new RateLimiter(redis, 60, CLOCK);
    for (int i = 1; i <= 5; i++) {
      RateLimiter.Decision decision = limiter.check("ip:a", 10).result();
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.remaining()).isEqualTo(10 - i);
    }
    assertThat(redis.calls).as("the first request only").isEqualTo(1);
    limiter.syncAll();
    assertThat(redis.calls).isEqualTo(2);
    assertThat(redis.totals.values()).containsExactly(5L);
  }

  @Test
  void nodesShareTheBudgetToWithinOneSyncInterval() {
    SharedCounts redis = new SharedCounts();
    RateLimiter one = new RateLimiter(redis, 60, CLOCK);
    RateLimiter two = new RateLimiter(redis, 60, CLOCK);
    int allowed = 0;
    // 30 requests over two nodes with a limit of 10, syncing after every 4 requests a node answers.
    for (int i = 0; i < 30; i++) {
      RateLimiter node = i % 2 == 0 ? one : two;
      allowed += node.check("key:7", 10).result().allowed() ? 1 : 0;
      if (i % 8 == 7) {
        one.syncAll();
        two.syncAll();
      }
    }
    one.syncAll();
    two.syncAll();
    assertThat(redis.totals.values()).containsExactly(30L);
    // At most the limit plus what each node let through between two syncs (4 each).
    assertThat(allowed).isBetween(10, 18);
  }

  @Test
  void redisAwayLetsRequestsThroughAndKeepsTheCountForLater() {
    Map<String, Long> totals = new HashMap<>();
    boolean[] down = {true};
    RateLimiter limiter = new RateLimiter((key, n, ttl) -> down[0] ? Future.failedFuture("refused")
        : Future.succeededFuture(totals.merge(key, n, Long::sum)), 60, CLOCK);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.check("ip:b", 2).result().allowed()).as("request %d", i).isEqualTo(i < 2);
    }
    down[0] = false;
    limiter.syncAll();
    assertThat(totals.values()).containsExactly(3L);
  }

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
