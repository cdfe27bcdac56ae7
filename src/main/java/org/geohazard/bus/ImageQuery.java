package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for one image's result document ({@code persistence.images.get}).
 */
public record ImageQuery(String imageId) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId);
  }

  public static ImageQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ImageQuery");
    return new ImageQuery(
        json.getString("image_id"));
  }
}
