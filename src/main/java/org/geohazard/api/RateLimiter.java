package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;

/**
 * Fixed-window request limits shared by every API node through counters in Redis, without a Redis round trip
 * per request. The first request of a client in a window on this node is counted in Redis before it is answered
 * (which also tells how much of the budget other nodes have used); after that the node decides locally from the
 * last total it saw plus what it has counted since, and adds its counts to Redis in one INCRBY per client every
 * {@code syncMs}. Tolerance: a client can exceed its limit by what it sends through each node within one sync
 * interval. When Redis is unreachable the limiter lets requests through (fail open), still counting locally:
 * losing rate limiting for a while is better than refusing every flood report.
 *
 * <p>One limiter per API verticle instance, touched on its event loop only.
 */
public final class RateLimiter {

  /** The verdict for one request, with what the rate-limit headers report. */
  public record Decision(boolean allowed, int limit, long remaining, long retryAfterSeconds) {}

  /** Where the shared totals live: adds {@code n} to a window's counter and answers the new total. */
  interface SharedCounter {
    Future<Long> add(String key, long n, int ttlSeconds);
  }

  /** One client's count in the current window, as this node knows it. */
  private static final class Window {
    final long window;
    /** The shared total, as of the last answer from Redis (including this node's counts sent so far). */
    long known;
    /** Counted here and on their way to Redis. */
    long sending;
    /** Counted here and not sent yet. */
    long pending;

    Window(long window) {
      this.window = window;
    }

    long count() {
      return known + sending + pending;
    }
  }

  private final SharedCounter counter;
  private final int windowSeconds;
  private final Clock clock;
  private final Map<String, Window> windows = new HashMap<>();
  private long timer = -1;

  public RateLimiter(RedisCache cache, int windowSeconds, Clock clock) {
    this(cache::addInWindow, windowSeconds, clock);
  }

  RateLimiter(SharedCounter counter, int windowSeconds, Clock clock) {
    this.counter = counter;
    this.windowSeconds = windowSeconds;
    this.clock = clock;
  }

  /** Sends the counts every {@code syncMs} from now on (on the caller's context). */
  public void start(Vertx vertx, long syncMs) {
    timer = vertx.setPeriodic(syncMs, id -> syncAll());
  }

  public void stop(Vertx vertx) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    syncAll();
  }

  public Future<Decision> check(String client, int limit) {
    long nowSeconds = clock.millis() / 1000;
    long window = nowSeconds / windowSeconds;
    long secondsLeft = (window + 1) * windowSeconds - nowSeconds;
    Window current = windows.get(client);
    if (current == null || current.window != window) {
      Window fresh = new Window(window);
      windows.put(client, fresh);
      fresh.pending = 1;
      return sync(client, fresh).map(v -> decide(fresh.count(), limit, secondsLeft));
    }
    current.pending++;
    return Future.succeededFuture(decide(current.count(), limit, secondsLeft));
  }

  /** Sends every client's pending count; forgets windows that have ended. */
  void syncAll() {
    long window = clock.millis() / 1000 / windowSeconds;
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> entry = it.next();
      if (entry.getValue().window < window) {
        it.remove();
      } else {
        sync(entry.getKey(), entry.getValue());
      }
    }
  }

  /** Adds the window's pending count to the shared total (one at a time per client); never fails. */
  private Future<Void> sync(String client, Window window) {
    if (window.pending == 0 || window.sending > 0) {
      return Future.succeededFuture();
    }
    long n = window.pending;
    window.pending = 0;
    window.sending = n;
    return counter.add(CacheKeys.rateWindow(client, window.window), n, windowSeconds + 1)
        .map(total -> {
          window.known = total;
          window.sending = 0;
          return (Void) null;
        })
        .recover(error -> {
          // Redis away: the count stays here and goes with a later sync; decisions use what is known.
          window.pending += window.sending;
          window.sending = 0;
          return Future.succeededFuture();
        });
  }

  static Decision decide(long count, int limit, long secondsLeftInWindow) {
    boolean allowed = count <= limit;
    return new Decision(allowed, limit, Math.max(0, limit - count), allowed ? 0 : Math.max(1, secondsLeftInWindow));
  }
}
