package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * A webhook subscription: where an API key's owner wants matching alerts delivered, signed.
 *
 * @param apiKeyId the key that owns it
 * @param secret the signing secret (only where its owner or the delivery needs it)
 * @param filter which alerts it wants
 * @param state active or disabled
 * @param disabledReason why deliveries stopped
 * @param failures failed deliveries in a row
 */
public record Webhook(String webhookId, long apiKeyId, String url, String secret, AlertFilter filter, String state, String disabledReason, int failures, String createdAt) {

  /** The same subscription without its secret, as a listing shows it. */
  public Webhook withoutSecret() {
    return new Webhook(webhookId, apiKeyId, url, null, filter, state, disabledReason, failures, createdAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("webhook_id", webhookId)
        .put("api_key_id", apiKeyId)
        .put("url", url)
        .put("secret", secret)
        .put("filter", filter.toJson())
        .put("state", state)
        .put("disabled_reason", disabledReason)
        .put("failures", failures)
        .put("created_at", createdAt);
  }

  public static Webhook fromJson(JsonObject json) {
    return new Webhook(
        json.getString("webhook_id"),
        json.getLong("api_key_id", 0L),
        json.getString("url"),
        json.getString("secret"),
        AlertFilter.fromJson(json.getJsonObject("filter")),
        json.getString("state"),
        json.getString("disabled_reason"),
        json.getInteger("failures", 0),
        json.getString("created_at"));
  }
}
