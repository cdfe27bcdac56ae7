package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * A key's webhook's latest deliveries ({@code persistence.webhooks.deliveries}).
 */
public record DeliveriesQuery(long apiKeyId, String webhookId, int limit) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("api_key_id", apiKeyId)
        .put("webhook_id", webhookId)
        .put("limit", limit);
  }

  public static DeliveriesQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "DeliveriesQuery");
    return new DeliveriesQuery(
        json.getLong("api_key_id", 0L),
        json.getString("webhook_id"),
        json.getInteger("limit", 0));
  }
}
