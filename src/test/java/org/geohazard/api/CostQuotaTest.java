package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.geohazard.bus.Failure;
import org.junit.jupiter.api.Test;

class CostQuotaTest {

  /** Redis's counters, as a map shared by every node's quota. */
  private static final class SharedCounts implements CostQuota.SharedCounter {
    final Map<String, Long> totals = new HashMap<>();
    boolean away;

    @Override
    public Future<Long> add(String key, long n, int ttlSeconds) {
      return away ? Future.failedFuture("redis away") : Future.succeededFuture(totals.merge(key, n, Long::sum));
    }

    long total(String kindAndClient) {
      return totals.entrySet().stream().filter(e -> e.getKey().startsWith("quota:" + kindAndClient + ":"))
          .mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** 20 s into a 60 s window: a refusal says to come back in 40 s. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T20:00:20Z"), ZoneOffset.UTC);

  @Test
  void uploadsAreChargedTheirBytesAndPixelsAndTheOneOverABudgetIsRefusedAndCostsNothing() {
    SharedCounts redis = new SharedCounts();
    CostQuota quota = new CostQuota(redis, 1000, 1_000_000, 60, CLOCK);
    assertThat(quota.charge("key:1", 400, 250_000).succeeded()).isTrue();
    assertThat(quota.charge("key:1", 400, 250_000).succeeded()).isTrue();
    Future<Void> third = quota.charge("key:1", 400, 250_000);
    assertThat(third.failed()).as("1200 bytes would pass 1000").isTrue();
    Failure refused = (Failure) third.cause();
    assertThat(refused.code()).isEqualTo(Failure.Code.RATE_LIMITED);
    assertThat(refused.details().getLong("retry_after_seconds")).isEqualTo(40);
    assertThat(refused.details().getLong("limit")).isEqualTo(1000);
    assertThat(refused.getMessage()).contains("400 bytes").contains("1000 bytes");
    assertThat(redis.total("bytes:key:1")).as("the refused upload's charge taken back").isEqualTo(800);
    assertThat(redis.total("pixels:key:1")).isEqualTo(500_000);

    assertThat(quota.charge("key:1", 200, 250_000).succeeded()).as("what still fits").isTrue();
    assertThat(quota.charge("key:2", 900, 900_000).succeeded()).as("another client's own budget").isTrue();
  }

  @Test
  void pixelsAreABudgetOfTheirOwnSoASmallFileOfAHugeImageIsRefused() {
    SharedCounts redis = new SharedCounts();
    CostQuota quota = new CostQuota(redis, 1_000_000, 100_000_000, 60, CLOCK);
    // A 268-megapixel scene that compresses to a few hundred kilobytes.
    Future<Void> scene = quota.charge("ip:10.0.0.1", 300_000, 268_000_000L);
    assertThat(scene.failed()).isTrue();
    assertThat(scene.cause().getMessage()).contains("268000000 pixels");
    assertThat(redis.total("bytes:ip:10.0.0.1")).isZero();
    assertThat(redis.total("pixels:ip:10.0.0.1")).isZero();
  }

  @Test
  void aZeroBudgetIsNotCountedAndRedisAwayLetsUploadsThrough() {
    SharedCounts redis = new SharedCounts();
    CostQuota bytesOnly = new CostQuota(redis, 100, 0, 60, CLOCK);
    assertThat(bytesOnly.enabled()).isTrue();
    assertThat(bytesOnly.charge("key:1", 50, Long.MAX_VALUE / 2).succeeded()).isTrue();
    assertThat(redis.total("pixels:key:1")).isZero();
    assertThat(new CostQuota(redis, 0, 0, 60, CLOCK).enabled()).isFalse();
    redis.away = true;
    assertThat(bytesOnly.charge("key:1", 1000, 1).succeeded()).as("fail open, as the request limiter").isTrue();
  }
}
