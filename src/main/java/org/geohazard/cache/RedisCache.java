package org.geohazard.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.geohazard.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Redis service: hot answers and shared counters. A cache must never make an answer
 * wrong or unavailable, so every read that fails is a miss and every write that fails is dropped
 * (with a counted, rate-limited log line); callers then go to the database.
 */
public final class RedisCache implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);

  private final Redis client;
  private final RedisAPI api;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile long lastErrorLogMs;

  /**
   * The longest a command may go unanswered before it fails as an outage would. The client has no deadline of its
   * own, and a command sent on a pooled connection that is being closed can be left without any answer
   * (vertx-redis-client issue 430, "Unhandled Error StacklessClosedChannelException", seen in this project's CI
   * logs): every caller already treats a failure (a miss, a limit let through, a 503), but a command that never
   * completes would hold its request open for good.
   */
  static final long COMMAND_TIMEOUT_MS = 3_000;

  private final long commandTimeoutMs;

  public RedisCache(Vertx vertx, AppConfig.Redis config) {
    this(vertx, config, COMMAND_TIMEOUT_MS);
  }

  RedisCache(Vertx vertx, AppConfig.Redis config, long commandTimeoutMs) {
    this.client = Redis.createClient(vertx, options(config));
    this.api = RedisAPI.api(client);
    this.commandTimeoutMs = commandTimeoutMs;
  }

  /** A command's answer, or a failure once it has gone unanswered for {@link #COMMAND_TIMEOUT_MS}. */
  private <T> Future<T> answered(Future<T> command) {
    return command.timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * The client's settings: the configured server and logical database; up to 16 pooled connections (the cache is
   * used from every event loop of the node), 256 requests waiting for one before a request fails (and is a miss),
   * idle connections recycled after 15 s.
   */
  static RedisOptions options(AppConfig.Redis config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.uri())
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(256)
        .setPoolRecycleTimeout(15_000);
    if (config.tls()) {
      // rediss:// already asks for TLS; the server's name is verified, against the configured authority if any.
      options.getNetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (!config.trustCertPath().isEmpty()) {
        options.getNetClientOptions().setTrustOptions(
            new PemTrustOptions().addCertPath(config.trustCertPath()));
      }
    }
    return options;
  }

  public Future<Optional<JsonObject>> getJson(String key) {
    return answered(api.get(key))
        .map(response -> {
          if (response == null) {
            misses.incrementAndGet();
            return Optional.<JsonObject>empty();
          }
          hits.incrementAndGet();
          return Optional.of(new JsonObject(response.toString()));
        })
        .recover(error -> {
          recordError("GET " + key, error);
          misses.incrementAndGet();
          return Future.succeededFuture(Optional.empty());
        });
  }

  public Future<Void> setJson(String key, JsonObject value, int ttlSeconds) {
    return answered(api.setex(key, Integer.toString(ttlSeconds), value.encode()))
        .<Void>mapEmpty()
        .recover(error -> {
          recordError("SETEX " + key, error);
          return Future.succeededFuture();
        });
  }

  public Future<Void> delete(String key) {
    return answered(api.del(List.of(key))).<Void>mapEmpty().recover(error -> {
      recordError("DEL " + key, error);
      return Future.succeededFuture();
    });
  }

  /** INCR on a shared counter; fails (not swallowed) so that callers decide what an outage means. */
  public Future<Long> increment(String key) {
    return answered(api.incr(key)).map(Response::toLong);
  }

  /**
   * Counts one hit in a fixed window: INCR, and the TTL is set by the first hit of the window.
   * Returns the count so far in this window. Fails when Redis is unreachable.
   */
  public Future<Long> countInWindow(String key, int windowSeconds) {
    return answered(api.incr(key)).compose(count -> {
      long value = count.toLong();
      if (value == 1) {
        return answered(api.expire(List.of(key, Integer.toString(windowSeconds)))).map(value);
      }
      return Future.succeededFuture(value);
    });
  }

  /**
   * Adds {@code n} hits to a fixed window's counter (INCRBY; the TTL is set when this add created it) and
   * answers the window's total. Fails when Redis is unreachable.
   */
  public Future<Long> addInWindow(String key, long n, int windowSeconds) {
    return answered(api.incrby(key, Long.toString(n))).compose(total -> {
      long value = total.toLong();
      if (value == n) {
        return answered(api.expire(List.of(key, Integer.toString(windowSeconds)))).map(value);
      }
      return Future.succeededFuture(value);
    });
  }

  /** Seconds until a key expires, or -1. */
  public Future<Long> ttl(String key) {
    return answered(api.ttl(key)).map(Response::toLong);
  }

  /** A counter used as a cache generation: readers put it in their keys, writers bump it. */
  public Future<Long> readCounter(String key) {
    return answered(api.get(key)).map(r -> r == null ? 0L : r.toLong()).recover(error -> {
      recordError("GET " + key, error);
      return Future.failedFuture(error);
    });
  }

  public Future<Long> ping() {
    long start = System.nanoTime();
    return answered(api.ping(List.of())).map(r -> (System.nanoTime() - start) / 1_000_000L);
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  public long errors() {
    return errors.get();
  }

  private void recordError(String what, Throwable error) {
    errors.incrementAndGet();
    long now = System.currentTimeMillis();
    if (now - lastErrorLogMs > 10_000) {
      lastErrorLogMs = now;
      LOG.warn("Redis unavailable ({}): {}; serving without cache", what, error.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
