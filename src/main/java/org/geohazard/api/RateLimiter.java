package org.geohazard.api;

import io.vertx.core.Future;
import java.time.Clock;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;

/**
 * Fixed-window request limits with the counters in Redis, so that every API node counts against
 * the same budget. When Redis is unreachable the limiter lets requests through (fail open): losing
 * rate limiting for a while is better than refusing every flood report.
 */
public final class RateLimiter {

  /** The verdict for one request, with what the rate-limit headers report. */
  public record Decision(boolean allowed, int limit, long remaining, long retryAfterSeconds) {}

  private final RedisCache cache;
  private final int windowSeconds;
  private final Clock clock;

  public RateLimiter(RedisCache cache, int windowSeconds, Clock clock) {
    this.cache = cache;
    this.windowSeconds = windowSeconds;
    this.clock = clock;
  }

  public Future<Decision> check(String client, int limit) {
    long nowSeconds = clock.millis() / 1000;
    long window = nowSeconds / windowSeconds;
    long secondsLeft = (window + 1) * windowSeconds - nowSeconds;
    return cache.countInWindow(CacheKeys.rateWindow(client, window), windowSeconds + 1)
        .map(count -> decide(count, limit, secondsLeft))
        .recover(error -> Future.succeededFuture(new Decision(true, limit, limit, 0)));
  }

  static Decision decide(long count, int limit, long secondsLeftInWindow) {
    boolean allowed = count <= limit;
    return new Decision(allowed, limit, Math.max(0, limit - count), allowed ? 0 : Math.max(1, secondsLeftInWindow));
  }
}
