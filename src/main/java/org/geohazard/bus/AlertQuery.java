package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for one alert by id, in whatever state ({@code persistence.alerts.get}).
 */
public record AlertQuery(String alertId) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("alert_id", alertId);
  }

  public static AlertQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertQuery");
    return new AlertQuery(
        json.getString("alert_id"));
  }
}
