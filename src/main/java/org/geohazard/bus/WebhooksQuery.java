package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Webhook subscriptions: one key's (any state), or every active one ({@code api_key_id} null) for delivery ({@code persistence.webhooks.list}).
 */
public record WebhooksQuery(Long apiKeyId) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("api_key_id", apiKeyId);
  }

  public static WebhooksQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "WebhooksQuery");
    return new WebhooksQuery(
        json.getLong("api_key_id"));
  }
}
