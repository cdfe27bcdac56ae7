package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The models an inference worker has loaded.
 */
public record InferenceStatus(List<ModelSummary> models) {

  public static final int VERSION = 1;

  public InferenceStatus {
    models = List.copyOf(models);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("models", models.stream().map(ModelSummary::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static InferenceStatus fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "InferenceStatus");
    return new InferenceStatus(
        json.getJsonArray("models", new JsonArray()).stream().map(item -> ModelSummary.fromJson((JsonObject) item)).toList());
  }
}
