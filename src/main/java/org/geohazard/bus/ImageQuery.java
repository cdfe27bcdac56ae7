package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for one image's result document ({@code persistence.images.get}): with its newest analysis, or with the
 * analysis one model version made ({@code modelVersion}; {@link Failure#NOT_FOUND} when that model never
 * analysed it).
 */
public record ImageQuery(String imageId, String modelVersion) {

  public static final int VERSION = 1;

  public ImageQuery(String imageId) {
    this(imageId, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("model_version", modelVersion);
  }

  public static ImageQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ImageQuery");
    return new ImageQuery(json.getString("image_id"), json.getString("model_version"));
  }
}
