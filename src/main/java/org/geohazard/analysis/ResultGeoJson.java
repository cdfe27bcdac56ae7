package org.geohazard.analysis;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.geo.GeoDetection;
import org.geohazard.geo.GeoJsonWriter;
import org.geohazard.detection.Detection;

/**
 * The GeoJSON view of a result document: its detections as an RFC 7946 FeatureCollection (see
 * {@link GeoJsonWriter}), then its flood extent's polygons (property {@code kind: flood_extent}), with the image id, status, georeference and model version as foreign members.
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
    if (analysisJson != null) {
      Analysis analysis = Analysis.fromJson(analysisJson);
      georeference = analysis.georeference().wireName();
      modelVersion = analysis.modelVersion();
      analysis.evidence().forEach((hazard, e) -> evidence.put(hazard, e.toJson()));
      extent = analysis.extent();
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
    return collection
        .put("image_id", result.getString("image_id"))
        .put("status", result.getString("status"))
        .put("georeference", georeference)
        .put("model_version", modelVersion)
        .put("evidence", evidence);
  }
}
