package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * A stored alert and whether it is new ({@code created}) or an active one it was merged into.
 */
public record AlertSaved(boolean created, Alert alert) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("created", created)
        .put("alert", alert.toJson());
  }

  public static AlertSaved fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertSaved");
    return new AlertSaved(
        json.getBoolean("created", false),
        Alert.fromJson(json.getJsonObject("alert")));
  }
}
