package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * The key found for a hash, or {@code found} false.
 *
 * @param requestsPerWindow its own budget, if any
 * @param scopes what it may do, comma-separated as stored ({@code auth.Scope})
 * @param expiresAt when it stops working (ISO-8601 UTC), null when it does not expire
 */
public record ApiKeyMatch(boolean found, Long id, String name, Integer requestsPerWindow, String scopes,
                          String expiresAt) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("found", found)
        .put("id", id)
        .put("name", name)
        .put("requests_per_window", requestsPerWindow)
        .put("scopes", scopes)
        .put("expires_at", expiresAt);
  }

  public static ApiKeyMatch fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ApiKeyMatch");
    return new ApiKeyMatch(
        json.getBoolean("found", false),
        json.getLong("id"),
        json.getString("name"),
        json.getInteger("requests_per_window"),
        json.getString("scopes"),
        json.getString("expires_at"));
  }
}
