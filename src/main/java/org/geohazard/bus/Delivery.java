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
}
