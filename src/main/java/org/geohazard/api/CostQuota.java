package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.geohazard.bus.Failure;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;

/**
 * Quotas by cost beside the request count: the bytes and the pixels one client (key, else address) may upload per
 * window ({@code rateLimit.bytesPerWindow}, {@code pixelsPerWindow}), counted in Redis and so shared by every API
 * node. A 268-megapixel scene costs what it costs to analyse, not one request. An upload is charged once its header
 * is probed (its size and pixel count known) and before anything is stored; one that would go over either budget is
 * refused with 429 and a {@code Retry-After} of the window's end, and its charge is taken back, so a refused upload
 * costs nothing. Like the request limiter, it lets uploads through when Redis is away.
 */
final class CostQuota {

  /** Where the shared totals live: adds {@code n} (negative to take back) and answers the new total. */
  interface SharedCounter {
    Future<Long> add(String key, long n, int ttlSeconds);
  }

  private final SharedCounter counter;
  private final long bytesPerWindow;
  private final long pixelsPerWindow;
  private final int windowSeconds;
  private final Clock clock;

  CostQuota(RedisCache cache, long bytesPerWindow, long pixelsPerWindow, int windowSeconds, Clock clock) {
    this(cache::addInWindow, bytesPerWindow, pixelsPerWindow, windowSeconds, clock);
  }

  CostQuota(SharedCounter counter, long bytesPerWindow, long pixelsPerWindow, int windowSeconds, Clock clock) {
    this.counter = counter;
    this.bytesPerWindow = bytesPerWindow;
    this.pixelsPerWindow = pixelsPerWindow;
    this.windowSeconds = windowSeconds;
    this.clock = clock;
  }

  /**
   * Charges {@code bytes} and {@code pixels} to {@code client} in the current window; fails with
   * {@link Failure.Code#RATE_LIMITED} (details: {@code retry_after_seconds}, the budget) when either total would
   * pass its budget, having taken the charge back.
   */
  Future<Void> charge(String client, long bytes, long pixels) {
    long nowSeconds = clock.millis() / 1000;
    long window = nowSeconds / windowSeconds;
    long retryAfter = Math.max(1, (window + 1) * windowSeconds - nowSeconds);
    Future<Long> byteTotal = add("bytes", client, window, bytes, bytesPerWindow);
    Future<Long> pixelTotal = add("pixels", client, window, pixels, pixelsPerWindow);
    return Future.join(byteTotal, pixelTotal).transform(done -> {
      boolean overBytes = over(byteTotal, bytesPerWindow);
      boolean overPixels = over(pixelTotal, pixelsPerWindow);
      if (!overBytes && !overPixels) {
        return Future.<Void>succeededFuture();
      }
      takeBack("bytes", client, window, byteTotal, bytes);
      takeBack("pixels", client, window, pixelTotal, pixels);
      String what = overBytes ? bytes + " bytes would pass this client's " + bytesPerWindow + " bytes"
          : pixels + " pixels would pass this client's " + pixelsPerWindow + " pixels";
      return Future.failedFuture(new Failure(Failure.Code.RATE_LIMITED, "upload quota: " + what + " per "
          + windowSeconds + " s window; retry after " + retryAfter + " s",
          new JsonObject().put("retry_after_seconds", retryAfter)
              .put("limit", overBytes ? bytesPerWindow : pixelsPerWindow)));
    });
  }

  /** Whether any budget is set (else nothing is counted). */
  boolean enabled() {
    return bytesPerWindow > 0 || pixelsPerWindow > 0;
  }

  private Future<Long> add(String kind, String client, long window, long n, long budget) {
    if (budget <= 0) {
      return Future.succeededFuture(null);
    }
    // Redis away: let it through (fail open), as the request limiter does.
    return counter.add(CacheKeys.costWindow(kind, client, window), n, windowSeconds + 1)
        .otherwise((Long) null);
  }

  private static boolean over(Future<Long> total, long budget) {
    return budget > 0 && total.result() != null && total.result() > budget;
  }

  private void takeBack(String kind, String client, long window, Future<Long> total, long n) {
    if (total.result() != null) {
      counter.add(CacheKeys.costWindow(kind, client, window), -n, windowSeconds + 1);
    }
  }
}
