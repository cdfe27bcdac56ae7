package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;

/**
 * A stored alert, as the alert endpoints return it.
 *
 * @param imageId the image (content) that first raised it, which is also the id of the upload that first brought
 *     it: private to its uploader, so shown to operators only ({@link #toOperatorJson()}), never to the public
 * @param createdAt when it was raised (version 1), ISO-8601 UTC
 * @param expiresAt when it stops being active unless renewed
 * @param distanceKm from the query point (0 otherwise)
 * @param version 1 when raised, one more each time a newer detection was merged into it
 * @param updatedAt when the last version was made (null for version 1)
 * @param state active, acknowledged (still active) or resolved (ended by an operator)
 * @param evidence why its severity is what it is: the evidence section ({@code HazardEvidence}) of the analysis
 *     that gave it its current severity; null for an alert raised before alerts carried evidence
 * @param areaPolygons the flood extent of the newest analysis that raised or renewed it, as CAP 1.2 polygon values
 *     ("lat,lon" pairs, reduced: {@code extent.CapPolygons}); empty when it has none (the circle alone)
 */
public record Alert(String alertId, String imageId, Hazard alertType, RiskLevel severity, double latitude,
                    double longitude, double radiusKm, double probability, double confidence, String title,
                    String description, String createdAt, String expiresAt, double distanceKm, int version,
                    String updatedAt, AlertState state, JsonObject evidence, List<String> areaPolygons) {

  public Alert {
    areaPolygons = areaPolygons == null ? List.of() : List.copyOf(areaPolygons);
  }

  /** An alert without an extent area. */
  public Alert(String alertId, String imageId, Hazard alertType, RiskLevel severity, double latitude,
               double longitude, double radiusKm, double probability, double confidence, String title,
               String description, String createdAt, String expiresAt, double distanceKm, int version,
               String updatedAt, AlertState state, JsonObject evidence) {
    this(alertId, imageId, alertType, severity, latitude, longitude, radiusKm, probability, confidence, title,
        description, createdAt, expiresAt, distanceKm, version, updatedAt, state, evidence, List.of());
  }

  /** An alert without evidence. */
  public Alert(String alertId, String imageId, Hazard alertType, RiskLevel severity, double latitude,
               double longitude, double radiusKm, double probability, double confidence, String title,
               String description, String createdAt, String expiresAt, double distanceKm, int version,
               String updatedAt, AlertState state) {
    this(alertId, imageId, alertType, severity, latitude, longitude, radiusKm, probability, confidence, title,
        description, createdAt, expiresAt, distanceKm, version, updatedAt, state, null);
  }

  /** Whether it still warns anyone at {@code now}: not resolved and not expired. */
  public boolean activeAt(Instant now) {
    return state != AlertState.RESOLVED && Instant.parse(expiresAt).isAfter(now);
  }

  /** When this version was made. */
  public String versionAt() {
    return updatedAt == null ? createdAt : updatedAt;
  }

  /** Alerts as the public alert endpoints list them. */
  public static JsonArray toJson(List<Alert> alerts) {
    JsonArray array = new JsonArray();
    alerts.forEach(alert -> array.add(alert.toJson()));
    return array;
  }

  /** Alerts as operators see them: each with its source upload. */
  public static JsonArray toOperatorJson(List<Alert> alerts) {
    JsonArray array = new JsonArray();
    alerts.forEach(alert -> array.add(alert.toOperatorJson()));
    return array;
  }

  /** The alert as an operator sees it: the public alert and the upload that raised it ({@code image_id}). */
  public JsonObject toOperatorJson() {
    return toJson().put("image_id", imageId);
  }

  /**
   * The alert as the public sees it (lists, feed, stream, webhooks): its own id and what a reader acts on, never
   * the private id of the upload that raised it.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("alert_id", alertId)
        .put("alert_type", alertType.wireName())
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
        .put("distance_km", distanceKm)
        .put("version", version)
        .put("updated_at", updatedAt)
        .put("state", state.wireName())
        .put("evidence", evidence);
    if (!areaPolygons.isEmpty()) {
      json.put("area", areaGeometry());
    }
    return json;
  }

  /** The extent area as a GeoJSON MultiPolygon (outer rings; [longitude, latitude]) read from the CAP values. */
  public JsonObject areaGeometry() {
    JsonArray polygons = new JsonArray();
    for (String polygon : areaPolygons) {
      JsonArray ring = new JsonArray();
      for (String pair : polygon.trim().split("\\s+")) {
        String[] latLon = pair.split(",");
        ring.add(new JsonArray().add(Double.parseDouble(latLon[1])).add(Double.parseDouble(latLon[0])));
      }
      polygons.add(new JsonArray().add(ring));
    }
    return new JsonObject().put("type", "MultiPolygon").put("coordinates", polygons);
  }
}
