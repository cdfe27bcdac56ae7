package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Alerts raised in a time window, optionally near a point ({@code persistence.alerts.history}): the public ones in any
 * state, or only those held unverified; newest first.
 *
 * @param from ISO-8601 UTC, inclusive
 * @param to ISO-8601 UTC, exclusive
 * @param activeOnly only alerts still active now
 * @param unverifiedOnly only alerts held for an operator's confirmation (otherwise only public ones)
 */
public record AlertsHistoryQuery(String from, String to, Double latitude, Double longitude, Double radiusKm, boolean activeOnly, boolean unverifiedOnly, int limit) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("from", from)
        .put("to", to)
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("radius_km", radiusKm)
        .put("active_only", activeOnly)
        .put("unverified_only", unverifiedOnly)
        .put("limit", limit);
  }

  public static AlertsHistoryQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertsHistoryQuery");
    return new AlertsHistoryQuery(
        json.getString("from"),
        json.getString("to"),
        json.getDouble("latitude"),
        json.getDouble("longitude"),
        json.getDouble("radius_km"),
        json.getBoolean("active_only", false),
        json.getBoolean("unverified_only", false),
        json.getInteger("limit", 0));
  }
}
