package org.geohazard.geo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Detections as an RFC 7946 GeoJSON FeatureCollection, the form GIS tools (QGIS, geojson.io, GDAL's GeoJSON driver)
 * open directly: one Feature per detection, whose geometry is the box's WGS84 polygon ([lon, lat] order, exterior
 * ring closed and counter-clockwise) or {@code null} for an image that is not placed on the earth (RFC 7946 §3.2
 * allows unlocated features). Coordinates are rounded to 7 decimals (about 1 cm), area to 0.1 m².
 *
 * <p>Properties of each Feature: {@code class_id}, {@code class_name}, {@code confidence}, {@code bbox} (pixel
 * corners x1, y1, x2, y2 in the original image), and where placed {@code area_m2}, {@code centroid} [lon, lat],
 * {@code radius_m} and {@code placement} ({@code "georeferenced"} or {@code "approximate"}). The JSON types are
 * Vert.x's only as JSON values; nothing here needs a Vert.x instance.
 */
public final class GeoJsonWriter {

  private GeoJsonWriter() {
  }

  public static JsonObject featureCollection(List<GeoDetection> detections) {
    JsonArray features = new JsonArray();
    for (GeoDetection detection : detections) {
      features.add(feature(detection));
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features);
  }

  public static JsonObject feature(GeoDetection detection) {
    JsonObject properties = new JsonObject()
        .put("class_id", detection.box().classId())
        .put("class_name", detection.className())
        .put("confidence", round(detection.box().score(), 4))
        .put("bbox", new JsonObject()
            .put("x1", round(detection.box().x1(), 1)).put("y1", round(detection.box().y1(), 1))
            .put("x2", round(detection.box().x2(), 1)).put("y2", round(detection.box().y2(), 1)));
    JsonObject feature = new JsonObject().put("type", "Feature");
    if (detection.footprint().isEmpty()) {
      return feature.putNull("geometry").put("properties", properties);
    }
    GeoFootprint footprint = detection.footprint().get();
    JsonArray ring = new JsonArray();
    for (LonLat corner : footprint.ring()) {
      ring.add(position(corner));
    }
    properties
        .put("area_m2", round(footprint.areaMetres2(), 1))
        .put("centroid", position(footprint.centroid()))
        .put("radius_m", round(footprint.radiusMetres(), 1))
        .put("placement", footprint.exact() ? "georeferenced" : "approximate");
    return feature
        .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
        .put("properties", properties);
  }

  private static JsonArray position(LonLat point) {
    return new JsonArray().add(round(point.lon(), 7)).add(round(point.lat(), 7));
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
