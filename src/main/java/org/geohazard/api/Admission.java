package org.geohazard.api;

import io.vertx.ext.web.RoutingContext;
import org.geohazard.config.AppConfig;
import org.geohazard.metrics.NodeMetrics;

/**
 * First step of every request: refuse oversized bodies by their declared length before reading
 * them, resolve the API key (optional; an unknown key is refused), and apply the rate limit of the
 * key or of the client address. Probes and the contract are not limited: load balancers and
 * monitoring must always reach them.
 */
final class Admission {

  private final AppConfig config;
  private final NodeMetrics metrics;
  private final RateLimiter limiter;
  private final ApiKeys keys;

  private final UsageCounter usage;

  Admission(AppConfig config, NodeMetrics metrics, RateLimiter limiter, ApiKeys keys, UsageCounter usage) {
    this.usage = usage;
    this.config = config;
    this.metrics = metrics;
    this.limiter = limiter;
    this.keys = keys;
  }

  void admit(RoutingContext ctx) {
    metrics.requestServed();
    String path = ctx.request().path();
    // Probes, status, the contract and the dashboard's static files (everything outside /api/) cost no quota.
    if (!path.startsWith("/api/") || path.startsWith("/api/v1/health") || path.equals("/api/v1/cluster")
        || path.equals("/api/v1/models")) {
      ctx.next();
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > config.http().maxBodyBytes()) {
          // Connection: close, so that the server stops reading a body it will never use.
          ctx.response().putHeader("Connection", "close");
          ErrorResponses.send(ctx, new ApiError(413, "payload_too_large", "request body of " + length.trim()
              + " bytes is over the limit of " + config.http().maxBodyBytes() + " bytes"));
          return;
        }
      } catch (NumberFormatException e) {
        ErrorResponses.send(ctx, ApiError.badRequest("Content-Length is not a number"));
        return;
      }
    }
    countWhenAnswered(ctx);
    // The checks below wait on Redis or the database; hold the body until an upload's BodyHandler
    // resumes it (a rejected request is resumed so its body is drained and dropped).
    ctx.request().pause();
    String presented = ctx.request().getHeader(ApiVerticle.API_KEY_HEADER);
    if (presented == null || presented.isBlank()) {
      limit(ctx, "ip:" + ctx.request().remoteAddress().hostAddress(), config.rateLimit().requestsPerWindow());
      return;
    }
    keys.find(presented.trim()).onComplete(found -> {
      if (found.failed()) {
        reject(ctx, ApiError.unavailable("cannot verify the API key right now"));
        return;
      }
      if (found.result().isEmpty()) {
        reject(ctx, new ApiError(401, "invalid_api_key", "the X-API-Key header names no active key"));
        return;
      }
      ApiKeys.ApiKey key = found.result().get();
      ctx.put(ApiVerticle.API_KEY_ID, key.id());
      ctx.put(ApiVerticle.API_KEY_NAME, key.name());
      int budget = key.requestsPerWindow() != null ? key.requestsPerWindow()
          : config.rateLimit().requestsPerWindow();
      limit(ctx, "key:" + key.id(), budget);
    });
  }

  /**
   * Counts the request in {@code api_usage} once it is answered: per key (else address), operation, status and
   * hour. Operations the contract does not match count as {@code unmatched}.
   */
  private void countWhenAnswered(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    ctx.response().endHandler(v -> {
      Long keyId = ctx.get(ApiVerticle.API_KEY_ID);
      // The contract's route keeps its operation as route metadata; the route the request last reached is it.
      Object operation = ctx.currentRoute() == null ? null
          : ctx.currentRoute().getMetadata(io.vertx.ext.web.openapi.router.RouterBuilder.KEY_META_DATA_OPERATION);
      String endpoint = operation instanceof io.vertx.openapi.contract.Operation op ? op.getOperationId() : "unmatched";
      usage.count(keyId, keyId == null ? address : "key:" + keyId, endpoint, ctx.response().getStatusCode(),
          java.time.Instant.now());
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
        reject(ctx, new ApiError(429, "rate_limited",
            "rate limit of " + decision.limit() + " requests per window reached; retry after "
                + decision.retryAfterSeconds() + " s"));
        return;
      }
      ctx.next();
    });
  }

  private static void reject(RoutingContext ctx, ApiError error) {
    ctx.request().resume();
    ErrorResponses.send(ctx, error);
  }
}
