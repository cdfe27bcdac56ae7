package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Queue a stored image again ({@code persistence.images.requeue}); the reply is the claim to send. Refused
 * ({@link Failure#CONFLICT}) while the image is pending or being analysed, and when its newest analysis was made
 * by exactly the models that would make it again ({@code modelVersion}, else {@code servedModels}).
 *
 * @param modelVersion the model asked for, or null for the models the cluster serves
 * @param servedModels the model versions the cluster serves now
 */
public record Reanalysis(String imageId, String modelVersion, List<String> servedModels) {

  public static final int VERSION = 1;

  public Reanalysis {
    servedModels = servedModels == null ? List.of() : List.copyOf(servedModels);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("image_id", imageId).put("model_version", modelVersion)
        .put("served_models", new JsonArray(servedModels));
  }

  public static Reanalysis fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "Reanalysis");
    return new Reanalysis(json.getString("image_id"), json.getString("model_version"),
        json.getJsonArray("served_models", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
