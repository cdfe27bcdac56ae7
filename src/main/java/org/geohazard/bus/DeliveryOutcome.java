package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * How one delivery of one change to one webhook ended ({@code persistence.webhooks.delivered}): logged; a failure counts towards disabling the webhook, a success resets the count.
 *
 * @param disableAfter failed deliveries in a row that disable it
 */
public record DeliveryOutcome(String webhookId, String eventId, String alertId, boolean delivered, int attempts, Integer httpStatus, String error, int disableAfter) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("webhook_id", webhookId)
        .put("event_id", eventId)
        .put("alert_id", alertId)
        .put("delivered", delivered)
        .put("attempts", attempts)
        .put("http_status", httpStatus)
        .put("error", error)
        .put("disable_after", disableAfter);
  }

  public static DeliveryOutcome fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "DeliveryOutcome");
    return new DeliveryOutcome(
        json.getString("webhook_id"),
        json.getString("event_id"),
        json.getString("alert_id"),
        json.getBoolean("delivered", false),
        json.getInteger("attempts", 0),
        json.getInteger("http_status"),
        json.getString("error"),
        json.getInteger("disable_after", 0));
  }
}
