package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.auth.WebhookSignature;
import org.geohazard.auth.WebhookTargets;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.AlertFilter;
import org.geohazard.bus.Delivery;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.Webhook;
import org.geohazard.bus.WebhookService;
import org.geohazard.config.AppConfig;

/**
 * {@code /api/v1/webhooks}: an API key's subscriptions to alerts. Creating one checks the target (public
 * addresses only, unless the operator allows private ones) and answers the signing secret, once.
 */
final class WebhookHandlers {

  static final long MAX_BODY_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final AppConfig.Webhooks config;
  /** The most subscriptions one tenant may hold (rateLimit.webhooksPerKey). */
  private final int maxPerKey;

  WebhookHandlers(Vertx vertx, AppConfig.Webhooks config, int maxPerKey) {
    this.vertx = vertx;
    this.config = config;
    this.maxPerKey = maxPerKey;
  }

  void create(RoutingContext ctx) {
    long keyId = keyOf(ctx);
    JsonObject body;
    String url;
    AlertFilter filter;
    try {
      body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      for (String field : body.fieldNames()) {
        if (!Set.of("url", "latitude", "longitude", "radius_km", "bbox", "type", "min_severity").contains(field)) {
          throw new IllegalArgumentException("unknown field '" + field + "'");
        }
      }
      url = body.getString("url");
      if (url == null || url.isBlank() || url.length() > 2048) {
        throw new IllegalArgumentException("'url' is required (at most 2048 characters)");
      }
      Double lat = body.getDouble("latitude");
      Double lon = body.getDouble("longitude");
      Double givenRadius = body.getDouble("radius_km");
      double radius = givenRadius == null ? 50.0 : givenRadius;
      if ((lat != null && Math.abs(lat) > 90) || (lon != null && Math.abs(lon) > 180) || !(radius > 0 && radius <= 20000)) {
        throw new IllegalArgumentException("latitude in [-90, 90], longitude in [-180, 180], radius_km in (0, 20000]");
      }
      String severity = body.getString("min_severity");
      JsonArray box = body.getJsonArray("bbox");
      double[] bbox = box == null ? null
          : new double[] {box.getDouble(0), box.getDouble(1), box.getDouble(2), box.getDouble(3)};
      filter = new AlertFilter(lat, lon, radius, bbox,
          body.getString("type") == null ? null : Hazard.fromWire(body.getString("type")),
          severity == null ? null : RiskLevel.fromWire(severity));
    } catch (RuntimeException e) {
      throw Failure.invalidRequest(String.valueOf(e.getMessage()));
    }
    vertx.<WebhookTargets.Target>executeBlocking(() -> WebhookTargets.check(url, config.allowPrivateTargets()), false)
        .recover(error -> Future.failedFuture(error instanceof WebhookTargets.RefusedTarget
            ? new Failure(Failure.Code.WEBHOOK_TARGET_REFUSED, error.getMessage()) : error))
        // Counted before the insert: creates racing each other may pass the cap by their number, not more.
        .compose(target -> store().count(keyId))
        .compose(held -> held >= maxPerKey
            ? Future.failedFuture(new Failure(Failure.Code.CONFLICT, "this key holds " + held + " webhooks, the most"
                + " allowed (rateLimit.webhooksPerKey = " + maxPerKey + "); delete one first",
                new JsonObject().put("limit", maxPerKey)))
            : store().create(keyId, url, WebhookSignature.newSecret(), filter))
        .onSuccess(created -> {
          ctx.response().putHeader("Location", "/api/v1/webhooks/" + created.webhookId());
          QueryHandlers.json(ctx, 201, view(created));
        })
        .onFailure(ctx::fail);
  }

  private WebhookService store() {
    return ServiceBus.client(vertx.eventBus(), WebhookService.class);
  }

  void list(RoutingContext ctx) {
    long keyId = keyOf(ctx);
    store().list(keyId)
        .onSuccess(found -> {
          JsonArray list = new JsonArray();
          found.forEach(w -> list.add(view(w.withoutSecret())));
          QueryHandlers.json(ctx, 200, new JsonObject().put("webhooks", list).put("count", list.size()));
        })
        .onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    long keyId = keyOf(ctx);
    String id = QueryHandlers.uuidPathParameter(ctx, "webhook_id");
    store().delete(keyId, id)
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /api/v1/webhooks/{id}/rotate-secret}: a new secret, answered once; the old one signs deliveries too
   * for {@code overlap_seconds} (see {@link WebhookSignature}). Every alerts verticle reads the subscription afresh.
   */
  void rotateSecret(RoutingContext ctx) {
    long keyId = keyOf(ctx);
    String id = QueryHandlers.uuidPathParameter(ctx, "webhook_id");
    int overlap = KeyHandlers.overlapSeconds(ctx);
    store().rotateSecret(keyId, id, WebhookSignature.newSecret(), overlap)
        .onSuccess(rotated -> {
          Addresses.WEBHOOKS_CHANGED.publish(vertx.eventBus(), rotated.webhookId());
          QueryHandlers.json(ctx, 200, view(rotated));
        })
        .onFailure(ctx::fail);
  }

  void deliveries(RoutingContext ctx) {
    long keyId = keyOf(ctx);
    String id = QueryHandlers.uuidPathParameter(ctx, "webhook_id");
    store().deliveries(keyId, id, 100)
        .onSuccess(found -> {
          JsonArray list = new JsonArray();
          for (Delivery delivery : found) {
            list.add(delivery.toJson());
          }
          QueryHandlers.json(ctx, 200, new JsonObject().put("deliveries", list).put("count", list.size()));
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject view(Webhook webhook) {
    JsonObject json = new JsonObject().put("webhook_id", webhook.webhookId()).put("url", webhook.url())
        .put("filter", webhook.filter().toJson()).put("state", webhook.state().wireName())
        .put("disabled_reason", webhook.disabledReason()).put("failures", webhook.failures())
        .put("created_at", webhook.createdAt());
    if (webhook.previousSecretUntil() != null) {
      json.put("previous_secret_until", webhook.previousSecretUntil());
    }
    if (webhook.secret() != null) {
      json.put("secret", webhook.secret());
    }
    return json;
  }

  /**
   * Subscriptions belong to a key's tenant (the key and its rotations): without a key there is nobody to own them.
   * Another tenant's subscription is not found by the store's queries (404), operators' included.
   */
  private static long keyOf(RoutingContext ctx) {
    Long id = Uploads.owner(ctx);
    if (id == null) {
      throw new Failure(Failure.Code.API_KEY_REQUIRED, "webhooks belong to an API key: send X-API-Key");
    }
    return id;
  }
}
