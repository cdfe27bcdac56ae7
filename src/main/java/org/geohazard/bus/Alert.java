package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.RiskLevel;

/**
 * A stored alert, as the alert endpoints return it.
 *
 * @param imageId the image that first raised it
 * @param alertType landslide or flood
 * @param distanceKm from the query point (0 otherwise)
 */
public record Alert(String alertId, String imageId, String alertType, RiskLevel severity, double latitude, double longitude, double radiusKm, double probability, double confidence, String title, String description, String createdAt, String expiresAt, double distanceKm) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("alert_id", alertId)
        .put("image_id", imageId)
        .put("alert_type", alertType)
        .put("severity", severity.wireName())
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("radius_km", radiusKm)
        .put("probability", probability)
        .put("confidence", confidence)
        .put("title", title)
        .put("description", description)
        .put("created_at", createdAt)
        .put("expires_at", expiresAt)
        .put("distance_km", distanceKm);
  }

  public static Alert fromJson(JsonObject json) {
    return new Alert(
        json.getString("alert_id"),
        json.getString("image_id"),
        json.getString("alert_type"),
        RiskLevel.fromWire(json.getString("severity")),
        json.getDouble("latitude", 0.0),
        json.getDouble("longitude", 0.0),
        json.getDouble("radius_km", 0.0),
        json.getDouble("probability", 0.0),
        json.getDouble("confidence", 0.0),
        json.getString("title"),
        json.getString("description"),
        json.getString("created_at"),
        json.getString("expires_at"),
        json.getDouble("distance_km", 0.0));
  }
}
