package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import java.time.Instant;
import java.util.function.Consumer;
import org.geohazard.bus.Failure;
import org.geohazard.auth.CanonicalPath;
import org.geohazard.auth.ClientAddress;
import org.geohazard.auth.FailedKeyThrottle;
import org.geohazard.config.AppConfig;
import org.geohazard.metrics.NodeMetrics;

/**
 * First step of every request: refuse a path in any but its canonical spelling (so that what is decided here on
 * the path is what the router routes, see {@link CanonicalPath}), refuse oversized bodies by their declared length
 * before reading them, resolve the API key (optional; an unknown, revoked or expired key is refused, and an address
 * that keeps presenting unknown keys is refused without a lookup), and apply the rate limit of the key or of the
 * client address (the peer, or what a trusted proxy forwarded for, see {@link ClientAddress}). Probes, status and
 * the contract are not limited: load balancers and monitoring must always reach them; a key sent to them is still
 * checked, since what they show may depend on its scopes.
 */
final class Admission {

  private final AppConfig config;
  private final NodeMetrics metrics;
  private final RateLimiter limiter;
  private final ApiKeys keys;
  private final ClientAddress clientAddress;
  private final FailedKeyThrottle failedKeys;

  private final UsageCounter usage;

  /**
   * @param failedKeys the node's one budget of unknown keys per address, shared by all of its API verticle
   *     instances (see {@link #failedKeyThrottle})
   */
  Admission(AppConfig config, NodeMetrics metrics, RateLimiter limiter, ApiKeys keys, UsageCounter usage,
            FailedKeyThrottle failedKeys) {
    this.usage = usage;
    this.config = config;
    this.metrics = metrics;
    this.limiter = limiter;
    this.keys = keys;
    this.clientAddress = new ClientAddress(config.security().trustedProxies());
    this.failedKeys = failedKeys;
  }

  /** Holds the node's throttle in Vert.x's local shared data, which takes only {@code Shareable} values. */
  private record SharedThrottle(FailedKeyThrottle throttle) implements Shareable {}

  /**
   * The node's unknown-key budget: one for all API verticle instances of this Vert.x (connections are spread over
   * the instances, so a budget per instance would be multiplied by {@code http.instances}).
   */
  static FailedKeyThrottle failedKeyThrottle(Vertx vertx, AppConfig config) {
    LocalMap<String, SharedThrottle> shared =
        vertx.sharedData().getLocalMap("geohazard.admission");
    SharedThrottle fresh = new SharedThrottle(new FailedKeyThrottle(config.security().failedKeyAttemptsPerWindow(),
        config.rateLimit().windowSeconds() * 1000L));
    SharedThrottle existing = shared.putIfAbsent("failedKeys", fresh);
    return (existing == null ? fresh : existing).throttle();
  }

  /** The address the request is counted against (kept on the context; see {@link ClientAddress}). */
  String client(RoutingContext ctx) {
    String known = ctx.get(CLIENT_ADDRESS);
    if (known != null) {
      return known;
    }
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    String client = clientAddress.resolve(peer, ctx.request().getHeader("X-Forwarded-For"));
    ctx.put(CLIENT_ADDRESS, client);
    return client;
  }

  static final String CLIENT_ADDRESS = "geohazard.clientAddress";

  void admit(RoutingContext ctx) {
    metrics.requestServed();
    String path = ctx.request().path();
    String problem = CanonicalPath.problem(path);
    if (problem != null) {
      ctx.response().putHeader("Connection", "close");
      ErrorResponses.send(ctx, new Failure(Failure.Code.NON_CANONICAL_PATH, problem));
      return;
    }
    // Probes, status, the contract and the dashboard's static files (everything outside /api/ and /ogc/, whose
    // queries read the database as /api/ ones do) cost no quota.
    boolean api = path.startsWith("/api/") || path.equals("/ogc") || path.startsWith("/ogc/");
    if (!api || path.startsWith("/api/v1/health") || path.equals("/api/v1/cluster")
        || path.equals("/api/v1/models")) {
      String presented = ctx.request().getHeader(ApiVerticle.API_KEY_HEADER);
      // Liveness and readiness never depend on a key (an orchestrator's probe must not fail on one).
      boolean keyMatters = api && !path.startsWith("/api/v1/health/");
      if (presented == null || presented.isBlank() || !keyMatters) {
        ctx.next();
      } else {
        ctx.request().pause();
        identify(ctx, presented.trim(), key -> {
          if (!ctx.request().isEnded()) {
            ctx.request().resume();
          }
          ctx.next();
        });
      }
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > config.http().maxBodyBytes()) {
          // Connection: close, so that the server stops reading a body it will never use.
          ctx.response().putHeader("Connection", "close");
          ErrorResponses.send(ctx, new Failure(Failure.Code.PAYLOAD_TOO_LARGE, "request body of " + length.trim()
              + " bytes is over the limit of " + config.http().maxBodyBytes() + " bytes"));
          return;
        }
      } catch (NumberFormatException e) {
        ErrorResponses.send(ctx, Failure.invalidRequest("Content-Length is not a number"));
        return;
      }
    }
    countWhenAnswered(ctx);
    // The checks below wait on Redis or the database; hold the body until an upload's BodyHandler
    // resumes it (a rejected request is resumed so its body is drained and dropped).
    ctx.request().pause();
    String presented = ctx.request().getHeader(ApiVerticle.API_KEY_HEADER);
    if (presented == null || presented.isBlank()) {
      limit(ctx, "ip:" + client(ctx), config.rateLimit().requestsPerWindow());
      return;
    }
    identify(ctx, presented.trim(), key -> {
      int budget = key.requestsPerWindow() != null ? key.requestsPerWindow()
          : config.rateLimit().requestsPerWindow();
      limit(ctx, "key:" + key.id(), budget);
    });
  }

  /**
   * Looks the presented key up and leaves its id, name and scopes on the context, then calls {@code known}; answers
   * 401 for a key that names no active key, and 429 (without a lookup) for an address that has presented too many.
   */
  private void identify(RoutingContext ctx, String presented, Consumer<ApiKeys.ApiKey> known) {
    String client = client(ctx);
    if (failedKeys.blocked(client, System.currentTimeMillis())) {
      ctx.response().putHeader("Retry-After",
          Long.toString(failedKeys.retryAfterSeconds(client, System.currentTimeMillis())));
      metrics.rateLimited();
      reject(ctx, new Failure(Failure.Code.RATE_LIMITED, "too many unknown API keys from this address; retry after "
          + failedKeys.retryAfterSeconds(client, System.currentTimeMillis()) + " s"));
      return;
    }
    keys.find(presented).onComplete(found -> {
      if (found.failed()) {
        reject(ctx, Failure.unavailable("cannot verify the API key right now"));
        return;
      }
      if (found.result().isEmpty()) {
        failedKeys.failed(client, System.currentTimeMillis());
        reject(ctx, new Failure(Failure.Code.INVALID_API_KEY, "the X-API-Key header names no active key"));
        return;
      }
      ApiKeys.ApiKey key = found.result().get();
      ctx.put(ApiVerticle.API_KEY_ID, key.id());
      ctx.put(ApiVerticle.API_KEY_NAME, key.name());
      ctx.put(ApiVerticle.API_KEY_SCOPES, key.scopes());
      ctx.put(ApiVerticle.API_KEY_TENANT, key.tenantId());
      known.accept(key);
    });
  }

  /**
   * Counts the request in {@code api_usage} once it is answered: per key (else address), operation, status and
   * hour. Operations the contract does not match count as {@code unmatched}.
   */
  private void countWhenAnswered(RoutingContext ctx) {
    String address = client(ctx);
    ctx.response().endHandler(v -> {
      Long keyId = ctx.get(ApiVerticle.API_KEY_ID);
      // The contract's route keeps its operation as route metadata; the route the request last reached is it.
      Object operation = ctx.currentRoute() == null ? null
          : ctx.currentRoute().getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
      String endpoint = operation instanceof Operation op ? op.getOperationId() : "unmatched";
      usage.count(keyId, keyId == null ? address : "key:" + keyId, endpoint, ctx.response().getStatusCode(),
          Instant.now());
    });
  }

  private void limit(RoutingContext ctx, String client, int budget) {
    limiter.check(client, budget).onComplete(result -> {
      RateLimiter.Decision decision = result.result();
      ctx.response().putHeader("X-RateLimit-Limit", Integer.toString(decision.limit()));
      ctx.response().putHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
      if (!decision.allowed()) {
        ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        metrics.rateLimited();
        reject(ctx, new Failure(Failure.Code.RATE_LIMITED,
            "rate limit of " + decision.limit() + " requests per window reached; retry after "
                + decision.retryAfterSeconds() + " s"));
        return;
      }
      ctx.next();
    });
  }

  private static void reject(RoutingContext ctx, Failure error) {
    if (!ctx.request().isEnded()) {
      ctx.request().resume();
    }
    ErrorResponses.send(ctx, error);
  }
}
