package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.geo.GeoDetection;
import org.geohazard.geo.GeoJsonWriter;
import org.geohazard.detection.Detection;

/**
 * The GeoJSON view of a result document: its detections as an RFC 7946 FeatureCollection (see
 * {@link GeoJsonWriter}), then its flood extent's polygons (property {@code kind: flood_extent}), then, for a
 * before/after pair, its change layers' polygons (property {@code kind: change}, {@code layer} naming the rule), with
 * the image id, status, georeference and model version as foreign members.
 */
public final class ResultGeoJson {

  private ResultGeoJson() {}

  public static JsonObject of(JsonObject result) {
    JsonObject analysisJson = result.getJsonObject("analysis");
    List<GeoDetection> detections = new ArrayList<>();
    String georeference = "none";
    String modelVersion = null;
    JsonObject evidence = new JsonObject();
    AnalysisExtent extent = null;
    ChangeSection change = null;
    if (analysisJson != null) {
      Analysis analysis = Analysis.fromJson(analysisJson);
      georeference = analysis.georeference().wireName();
      modelVersion = analysis.modelVersion();
      analysis.evidence().forEach((hazard, e) -> evidence.put(hazard, e.toJson()));
      extent = analysis.extent();
      change = analysis.change();
      for (AnalyzedDetection d : analysis.detections()) {
        Detection box = new Detection(d.classId(), (float) d.confidence(), (float) d.x1(), (float) d.y1(),
            (float) d.x2(), (float) d.y2());
        detections.add(new GeoDetection(box, d.className(), Optional.ofNullable(d.footprint())));
      }
    }
    JsonObject collection = GeoJsonWriter.featureCollection(detections);
    if (extent != null) {
      // After the detections: a reader indexing features by detection keeps working.
      for (AnalysisExtent.Region region : extent.polygons()) {
        collection.getJsonArray("features").add(new JsonObject().put("type", "Feature")
            .put("geometry", region.geometry())
            .put("properties", new JsonObject().put("kind", "flood_extent").put("area_km2", region.areaKm2())
                .put("mean_probability", region.meanProbability()).put("model", extent.model())));
      }
    }
    if (change != null) {
      changeFeatures(change).forEach(collection.getJsonArray("features")::add);
    }
    return collection
        .put("image_id", result.getString("image_id"))
        .put("status", result.getString("status"))
        .put("georeference", georeference)
        .put("model_version", modelVersion)
        .put("evidence", evidence);
  }

  /**
   * One feature per polygon of each change layer, largest first within a layer: {@code kind: change} (not a
   * detection, not the mask model's extent), {@code layer} the rule that found it, {@code hazard} the hazard it can
   * corroborate, the polygon's {@code area_km2} and its layer's total, and the before scene it was compared with
   * ({@code before_sha256}: the pair's analysis is shared by every upload of the same two scenes, so it names the
   * before scene by content, not by one caller's upload id).
   */
  public static List<JsonObject> changeFeatures(ChangeSection change) {
    JsonArray pairJson = change.toJson().getJsonArray("layers");
    List<JsonObject> features = new ArrayList<>();
    for (int l = 0; l < change.layers().size(); l++) {
      ChangeSection.Layer layer = change.layers().get(l);
      JsonObject layerJson = pairJson.getJsonObject(l);
      JsonArray polygons = layerJson.getJsonArray("polygons");
      for (int p = 0; p < polygons.size(); p++) {
        JsonObject polygon = polygons.getJsonObject(p);
        features.add(new JsonObject().put("type", "Feature")
            .put("geometry", polygon.getJsonObject("geometry"))
            .put("properties", new JsonObject().put("kind", "change").put("layer", layer.kind())
                .put("hazard", layer.hazard()).put("area_km2", polygon.getDouble("area_km2"))
                .put("layer_area_km2", layerJson.getDouble("area_km2")).put("sensor", change.sensor())
                .put("before_sha256", change.beforeSha256())));
      }
    }
    return features;
  }
}
