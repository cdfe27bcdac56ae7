package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Deletes one of a key's webhooks ({@code persistence.webhooks.delete}); another key's is not found.
 */
public record WebhookDelete(long apiKeyId, String webhookId) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("api_key_id", apiKeyId)
        .put("webhook_id", webhookId);
  }

  public static WebhookDelete fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "WebhookDelete");
    return new WebhookDelete(
        json.getLong("api_key_id", 0L),
        json.getString("webhook_id"));
  }
}
