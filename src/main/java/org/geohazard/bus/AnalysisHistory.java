package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every analysis stored for one image, newest first ({@code persistence.images.analyses}). */
public record AnalysisHistory(String imageId, List<Entry> analyses) {

  /** One stored analysis, summed up (the whole one: the result with {@code model_version}). */
  public record Entry(String modelVersion, String createdAt, String riskLevel, double floodProbability,
                      double landslideProbability, int detectionsCount, double processingTimeMs) {
    JsonObject toJson() {
      return new JsonObject().put("model_version", modelVersion).put("created_at", createdAt)
          .put("risk_level", riskLevel).put("flood_probability", floodProbability)
          .put("landslide_probability", landslideProbability).put("detections_count", detectionsCount)
          .put("processing_time_ms", processingTimeMs);
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
}
