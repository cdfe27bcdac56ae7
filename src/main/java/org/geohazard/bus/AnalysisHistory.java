package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every analysis stored for one image, newest first ({@code persistence.images.analyses}). */
public record AnalysisHistory(String imageId, List<Entry> analyses) {

  public static final int VERSION = 1;

  /** One stored analysis, summed up (the whole one: the result with {@code model_version}). */
  public record Entry(String modelVersion, String createdAt, String riskLevel, double floodProbability,
                      double landslideProbability, int detectionsCount, double processingTimeMs) {
    JsonObject toJson() {
      return new JsonObject().put("model_version", modelVersion).put("created_at", createdAt)
          .put("risk_level", riskLevel).put("flood_probability", floodProbability)
          .put("landslide_probability", landslideProbability).put("detections_count", detectionsCount)
          .put("processing_time_ms", processingTimeMs);
    }

    static Entry fromJson(JsonObject json) {
      return new Entry(json.getString("model_version"), json.getString("created_at"), json.getString("risk_level"),
          json.getDouble("flood_probability", 0.0), json.getDouble("landslide_probability", 0.0),
          json.getInteger("detections_count", 0), json.getDouble("processing_time_ms", 0.0));
    }
  }

  public AnalysisHistory {
    analyses = List.copyOf(analyses);
  }

  /** The API's answer. */
  public JsonObject toApiJson() {
    return new JsonObject().put("image_id", imageId)
        .put("analyses", analyses.stream().map(Entry::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public JsonObject toJson() {
    return toApiJson().put("v", VERSION);
  }

  public static AnalysisHistory fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AnalysisHistory");
    return new AnalysisHistory(json.getString("image_id"), json.getJsonArray("analyses", new JsonArray()).stream()
        .map(entry -> Entry.fromJson((JsonObject) entry)).toList());
  }
}
