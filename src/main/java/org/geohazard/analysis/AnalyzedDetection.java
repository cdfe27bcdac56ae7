package org.geohazard.analysis;

import io.vertx.core.json.JsonObject;

/** A detection as clients see it: class by name, confidence, and a box in original-image pixels. */
public record AnalyzedDetection(int classId, String className, double confidence,
                                double x1, double y1, double x2, double y2) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("class_id", classId)
        .put("class_name", className)
        .put("confidence", round(confidence, 4))
        .put("bbox", new JsonObject()
            .put("x1", round(x1, 1)).put("y1", round(y1, 1))
            .put("x2", round(x2, 1)).put("y2", round(y2, 1)));
  }

  public static AnalyzedDetection fromJson(JsonObject json) {
    JsonObject box = json.getJsonObject("bbox");
    return new AnalyzedDetection(json.getInteger("class_id"), json.getString("class_name"),
        json.getDouble("confidence"), box.getDouble("x1"), box.getDouble("y1"),
        box.getDouble("x2"), box.getDouble("y2"));
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
