package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Active alerts, nearest first.
 */
public record AlertList(List<Alert> alerts) {

  public static final int VERSION = 1;

  public AlertList {
    alerts = List.copyOf(alerts);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("alerts", alerts.stream().map(Alert::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static AlertList fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertList");
    return new AlertList(
        json.getJsonArray("alerts", new JsonArray()).stream().map(item -> Alert.fromJson((JsonObject) item)).toList());
  }
}
