package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * Stores an analysis once per image and model version ({@code persistence.predictions.save}).
 */
public record PredictionSave(String imageId, Analysis analysis) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("analysis", analysis == null ? null : analysis.toJson());
  }

  public static PredictionSave fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "PredictionSave");
    return new PredictionSave(
        json.getString("image_id"),
        json.getJsonObject("analysis") == null ? null : Analysis.fromJson(json.getJsonObject("analysis")));
  }
}
