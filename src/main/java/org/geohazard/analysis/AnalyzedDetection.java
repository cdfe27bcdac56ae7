package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.geo.GeoFootprint;
import org.geohazard.geo.GeoMath;
import org.geohazard.geo.LonLat;

/**
 * A detection as clients see it: class by name (and by id in its model's class list), confidence, a box
 * in original-image pixels, which model found it (an index into the analysis's {@code models}) and,
 * where the image's geography is known, its footprint on the ground (null otherwise).
 */
public record AnalyzedDetection(int classId, String className, double confidence,
                                double x1, double y1, double x2, double y2, GeoFootprint footprint, int model) {

  public AnalyzedDetection(int classId, String className, double confidence, double x1, double y1, double x2,
                           double y2, GeoFootprint footprint) {
    this(classId, className, confidence, x1, y1, x2, y2, footprint, 0);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("class_id", classId)
        .put("class_name", className)
        .put("confidence", round(confidence, 4))
        .put("bbox", new JsonObject()
            .put("x1", round(x1, 1)).put("y1", round(y1, 1))
            .put("x2", round(x2, 1)).put("y2", round(y2, 1)))
        .put("model", model);
    if (footprint != null) {
      JsonArray ring = new JsonArray();
      for (LonLat corner : footprint.ring()) {
        ring.add(new JsonArray().add(round(corner.lon(), 7)).add(round(corner.lat(), 7)));
      }
      json.put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
          .put("centroid", new JsonObject().put("latitude", round(footprint.centroid().lat(), 7))
              .put("longitude", round(footprint.centroid().lon(), 7)))
          .put("area_m2", round(footprint.areaMetres2(), 1));
    }
    return json;
  }

  /**
   * Reads a detection back. The footprint's radius is recomputed from the ring (farthest corner from
   * the centroid); whether it was exact is a property of the whole analysis ({@code georeference}).
   */
  public static AnalyzedDetection fromJson(JsonObject json, boolean exactGeoreference) {
    JsonObject box = json.getJsonObject("bbox");
    GeoFootprint footprint = null;
    JsonObject geometry = json.getJsonObject("geometry");
    JsonObject centroid = json.getJsonObject("centroid");
    if (geometry != null && centroid != null) {
      List<LonLat> ring = new ArrayList<>();
      double radiusMetres = 0;
      LonLat centre = new LonLat(centroid.getDouble("longitude"), centroid.getDouble("latitude"));
      for (Object position : geometry.getJsonArray("coordinates").getJsonArray(0)) {
        JsonArray lonLat = (JsonArray) position;
        LonLat corner = new LonLat(lonLat.getDouble(0), lonLat.getDouble(1));
        ring.add(corner);
        radiusMetres = Math.max(radiusMetres,
            1000 * GeoMath.distanceKm(centre.lat(), centre.lon(), corner.lat(), corner.lon()));
      }
      footprint = new GeoFootprint(ring, centre, json.getDouble("area_m2", 0.0), radiusMetres, exactGeoreference);
    }
    return new AnalyzedDetection(json.getInteger("class_id"), json.getString("class_name"),
        json.getDouble("confidence"), box.getDouble("x1"), box.getDouble("y1"),
        box.getDouble("x2"), box.getDouble("y2"), footprint, json.getInteger("model", 0));
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
