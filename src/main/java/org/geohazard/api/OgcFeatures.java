package org.geohazard.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.geohazard.bus.Alert;
import org.geohazard.bus.DetectionFeature;
import org.geohazard.bus.ExtentFeature;

/**
 * Alerts, detections and flood extent polygons as the GeoJSON Features of the OGC API - Features collections.
 * Properties are flat scalars where they can be (GIS clients make one column per property), named as in the rest
 * of the API.
 */
final class OgcFeatures {

  private OgcFeatures() {}

  /**
   * An alert as the public sees it ({@link Alert#toJson()}: never the upload that raised it), at its centre. The
   * distance from a query point means nothing here and is left out; the evidence stays one JSON member.
   */
  static JsonObject alert(Alert alert) {
    JsonObject properties = alert.toJson();
    properties.remove("distance_km");
    return new JsonObject().put("type", "Feature").put("id", alert.alertId())
        .put("geometry", new JsonObject().put("type", "Point")
            .put("coordinates", new JsonArray().add(alert.longitude()).add(alert.latitude())))
        .put("properties", properties);
  }

  /** The feature id of a result's {@code number}-th detection: the upload's id, a dot, the number. */
  static String detectionId(String uploadId, int number) {
    return uploadId + "." + number;
  }

  /** A detection with its ground footprint (the stored ring) as geometry. */
  static JsonObject detection(DetectionFeature feature) {
    JsonObject detection = feature.detection();
    JsonObject properties = new JsonObject()
        .put("image_id", feature.uploadId())
        .put("detection", feature.number())
        .put("class_id", detection.getInteger("class_id"))
        .put("class_name", detection.getString("class_name"))
        .put("confidence", detection.getDouble("confidence"))
        .put("area_m2", detection.getDouble("area_m2"))
        .put("model_version", feature.modelVersion())
        .put("completed_at", feature.completedAt());
    return new JsonObject().put("type", "Feature").put("id", detectionId(feature.uploadId(), feature.number()))
        .put("geometry", detection.getJsonObject("geometry"))
        .put("properties", properties);
  }

  /**
   * A flood extent polygon (its stored GeoJSON geometry, holes kept), with its own area and mean probability and
   * what the extent says of all its polygons (the mask model, the total flooded area). Its id is made as a
   * detection's ({@link #detectionId}): the upload's id, a dot, the polygon's number.
   */
  static JsonObject floodExtent(ExtentFeature feature) {
    JsonObject region = feature.region();
    JsonObject properties = new JsonObject()
        .put("image_id", feature.uploadId())
        .put("polygon", feature.number())
        .put("area_km2", region.getDouble("area_km2"))
        .put("mean_probability", region.getDouble("mean_probability"))
        .put("model", feature.model())
        .put("flooded_km2", feature.floodedKm2())
        .put("datetime", feature.completedAt());
    return new JsonObject().put("type", "Feature").put("id", detectionId(feature.uploadId(), feature.number()))
        .put("geometry", region.getJsonObject("geometry"))
        .put("properties", properties);
  }
}
