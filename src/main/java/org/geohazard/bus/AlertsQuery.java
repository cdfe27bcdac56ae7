package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Active alerts whose circle reaches a query circle ({@code persistence.alerts.active}).
 */
public record AlertsQuery(double latitude, double longitude, double radiusKm, int limit) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("radius_km", radiusKm)
        .put("limit", limit);
  }

  public static AlertsQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertsQuery");
    return new AlertsQuery(
        json.getDouble("latitude", 0.0),
        json.getDouble("longitude", 0.0),
        json.getDouble("radius_km", 0.0),
        json.getInteger("limit", 0));
  }
}
