package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One file of a batch upload: the image it became, or why it was refused.
 */
public record BatchEntry(int index, String filename, String imageId, String errorCode, String errorMessage) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("index", index)
        .put("filename", filename)
        .put("image_id", imageId)
        .put("error_code", errorCode)
        .put("error_message", errorMessage);
  }

  public static BatchEntry fromJson(JsonObject json) {
    return new BatchEntry(
        json.getInteger("index", 0),
        json.getString("filename"),
        json.getString("image_id"),
        json.getString("error_code"),
        json.getString("error_message"));
  }
}
