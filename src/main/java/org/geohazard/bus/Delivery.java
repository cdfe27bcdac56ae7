package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One logged delivery.
 */
public record Delivery(String eventId, String alertId, boolean delivered, int attempts, Integer httpStatus, String error, String at) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("event_id", eventId)
        .put("alert_id", alertId)
        .put("delivered", delivered)
        .put("attempts", attempts)
        .put("http_status", httpStatus)
        .put("error", error)
        .put("at", at);
  }

  public static Delivery fromJson(JsonObject json) {
    return new Delivery(
        json.getString("event_id"),
        json.getString("alert_id"),
        json.getBoolean("delivered", false),
        json.getInteger("attempts", 0),
        json.getInteger("http_status"),
        json.getString("error"),
        json.getString("at"));
  }
}
