package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Stores a new webhook subscription ({@code persistence.webhooks.create}).
 */
public record WebhookCreate(long apiKeyId, String url, String secret, AlertFilter filter) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("api_key_id", apiKeyId)
        .put("url", url)
        .put("secret", secret)
        .put("filter", filter.toJson());
  }

  public static WebhookCreate fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "WebhookCreate");
    return new WebhookCreate(
        json.getLong("api_key_id", 0L),
        json.getString("url"),
        json.getString("secret"),
        AlertFilter.fromJson(json.getJsonObject("filter")));
  }
}
