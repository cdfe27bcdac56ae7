package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One file of a batch with the live status of its image.
 *
 * @param status pending, processing, completed, failed or rejected
 * @param error for a rejected file
 */
public record BatchItem(int index, String filename, String imageId, String status, ItemError error) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("index", index)
        .put("filename", filename)
        .put("image_id", imageId)
        .put("status", status);
    if (error != null) {  // the contract has no null error: a file that was accepted has none at all
      json.put("error", error.toJson());
    }
    return json;
  }

  public static BatchItem fromJson(JsonObject json) {
    return new BatchItem(
        json.getInteger("index", 0),
        json.getString("filename"),
        json.getString("image_id"),
        json.getString("status"),
        json.getJsonObject("error") == null ? null : ItemError.fromJson(json.getJsonObject("error")));
  }
}
