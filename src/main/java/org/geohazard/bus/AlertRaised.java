package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * An alert was raised or renewed ({@code alerts.raised}, and the value of the {@code alerts.critical} Kafka record).
 */
public record AlertRaised(boolean created, Alert alert) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("created", created)
        .put("alert", alert.toJson());
  }

  public static AlertRaised fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertRaised");
    return new AlertRaised(
        json.getBoolean("created", false),
        Alert.fromJson(json.getJsonObject("alert")));
  }
}
