package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.geohazard.auth.ApiKeyHash;
import org.geohazard.auth.Scope;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ApiKeyRow;
import org.geohazard.bus.ApiKeyService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ServiceBus;

/**
 * Key management over the API, for administrators (the contract declares the admin token or an {@code admin} key):
 * create (the key is in the answer once, and only its SHA-256 is stored), list (never the keys), revoke, rotate (a
 * new key; the old one keeps working for an overlap). A revoked or rotated key is dropped from every node's key
 * cache by a cluster-wide broadcast, so a revocation holds everywhere within the bus's latency.
 */
final class KeyHandlers {

  static final long MAX_BODY_BYTES = 4 * 1024;
  /** How long a rotated key keeps working when the caller does not say: an hour to move clients over. */
  static final int DEFAULT_OVERLAP_SECONDS = 3600;
  static final int MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

  private final Vertx vertx;

  KeyHandlers(Vertx vertx) {
    this.vertx = vertx;
  }

  void create(RoutingContext ctx) {
    JsonObject body = object(ctx, Set.of("name", "scopes", "requests_per_window", "expires_at"));
    String name = body.getValue("name") instanceof String text ? text.strip() : "";
    if (name.isEmpty() || name.length() > 255) {
      throw Failure.invalidRequest("'name' is required: 1..255 characters");
    }
    Set<Scope> scopes;
    try {
      JsonArray given = body.getJsonArray("scopes");
      if (given == null || given.isEmpty()) {
        throw new IllegalArgumentException("'scopes' is required: a non-empty list of read, upload, publish, operate,"
            + " admin");
      }
      scopes = Scope.of(given.stream().map(String::valueOf).toList());
    } catch (ClassCastException | IllegalArgumentException e) {
      throw Failure.invalidRequest(String.valueOf(e.getMessage()));
    }
    Integer budget = body.getValue("requests_per_window") instanceof Integer value ? value : null;
    if (body.containsKey("requests_per_window") && (budget == null || budget < 1)) {
      throw Failure.invalidRequest("'requests_per_window' is an integer >= 1");
    }
    String expiresAt = null;
    if (body.getValue("expires_at") != null) {
      try {
        Instant expiry = OffsetDateTime.parse(String.valueOf(body.getValue("expires_at"))).toInstant();
        if (!expiry.isAfter(Instant.now())) {
          throw Failure.invalidRequest("'expires_at' must be in the future");
        }
        expiresAt = expiry.toString();
      } catch (DateTimeParseException e) {
        throw Failure.invalidRequest("'expires_at' is an ISO-8601 date-time with an offset, e.g. 2027-01-01T00:00:00Z");
      }
    }
    String key = ApiKeyHash.newKey();
    keys().create(ApiKeyHash.of(key), name, Scope.format(scopes), budget, expiresAt)
        .onSuccess(row -> QueryHandlers.json(ctx, 201, json(row).put("secret", key)))
        .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    keys().list()
        .onSuccess(rows -> {
          JsonArray keys = new JsonArray();
          rows.forEach(row -> keys.add(json(row)));
          QueryHandlers.json(ctx, 200, new JsonObject().put("keys", keys).put("count", keys.size()));
        })
        .onFailure(ctx::fail);
  }

  void revoke(RoutingContext ctx) {
    long keyId = keyId(ctx);
    keys().revoke(keyId)
        .onSuccess(row -> {
          evict(row);
          QueryHandlers.json(ctx, 200, json(row));
        })
        .onFailure(ctx::fail);
  }

  /**
   * The {@code overlap_seconds} of a rotation's optional body ({@code ApiKeyRotate}, shared by key and webhook secret
   * rotation): the default when absent, 400 outside [0, 7 days].
   */
  static int overlapSeconds(RoutingContext ctx) {
    JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject()
        : object(ctx, Set.of("overlap_seconds"));
    Object given = body.getValue("overlap_seconds");
    int overlap = given == null ? DEFAULT_OVERLAP_SECONDS : given instanceof Integer value ? value : -1;
    if (overlap < 0 || overlap > MAX_OVERLAP_SECONDS) {
      throw Failure.invalidRequest("'overlap_seconds' is an integer in [0, " + MAX_OVERLAP_SECONDS + "]");
    }
    return overlap;
  }

  void rotate(RoutingContext ctx) {
    long keyId = keyId(ctx);
    int overlap = overlapSeconds(ctx);
    String key = ApiKeyHash.newKey();
    keys().rotate(keyId, ApiKeyHash.of(key), overlap)
        .onSuccess(rows -> {
          // The old key's cached entry would outlive its new expiry: every node looks it up again.
          evict(rows.get(1));
          QueryHandlers.json(ctx, 201, json(rows.get(0)).put("secret", key).put("previous", json(rows.get(1))));
        })
        .onFailure(ctx::fail);
  }

  private void evict(ApiKeyRow row) {
    Addresses.API_KEYS_EVICTED.publish(vertx.eventBus(), row.keyHash());
  }

  private ApiKeyService keys() {
    return ServiceBus.client(vertx.eventBus(), ApiKeyService.class);
  }

  /** A key as the API shows it: never the key, nor its hash. */
  static JsonObject json(ApiKeyRow row) {
    JsonArray scopes = new JsonArray();
    Scope.parse(row.scopes()).stream().sorted().forEach(scope -> scopes.add(scope.wireName()));
    return new JsonObject().put("key_id", row.id()).put("name", row.name()).put("scopes", scopes)
        .put("requests_per_window", row.requestsPerWindow()).put("created_at", row.createdAt())
        .put("expires_at", row.expiresAt()).put("revoked_at", row.revokedAt());
  }

  private static long keyId(RoutingContext ctx) {
    try {
      long id = Long.parseLong(ctx.pathParam("key_id"));
      if (id < 1) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw Failure.invalidRequest("key_id is a positive integer");
    }
  }

  private static JsonObject object(RoutingContext ctx, Set<String> fields) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Failure.invalidRequest("the body must be a JSON object");
    }
    if (body == null) {
      throw Failure.invalidRequest("the body must be a JSON object");
    }
    for (String field : body.fieldNames()) {
      if (!fields.contains(field)) {
        throw Failure.invalidRequest("unknown field '" + field + "'");
      }
    }
    return body;
  }
}
