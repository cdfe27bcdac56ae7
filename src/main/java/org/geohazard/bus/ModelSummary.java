package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One model an inference worker serves.
 */
public record ModelSummary(String version, String path, String view, Double gsdM, List<String> classes, int inputWidth, int inputHeight, String executionProvider) {

  public ModelSummary {
    classes = List.copyOf(classes);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("path", path)
        .put("view", view)
        .put("gsd_m", gsdM)
        .put("classes", new JsonArray(classes))
        .put("input_width", inputWidth)
        .put("input_height", inputHeight)
        .put("execution_provider", executionProvider);
  }

  public static ModelSummary fromJson(JsonObject json) {
    return new ModelSummary(
        json.getString("version"),
        json.getString("path"),
        json.getString("view"),
        json.getDouble("gsd_m"),
        json.getJsonArray("classes", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getInteger("input_width", 0),
        json.getInteger("input_height", 0),
        json.getString("execution_provider"));
  }
}
