package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One file of a batch with the live status of its image.
 *
 * @param error for a rejected file
 */
public record BatchItem(int index, String filename, String imageId, BatchItemStatus status, ItemError error) {
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("index", index)
        .put("filename", filename)
        .put("image_id", imageId)
        .put("status", status.wireName());
    if (error != null) {  // the contract has no null error: a file that was accepted has none at all
      json.put("error", error.toJson());
    }
    return json;
  }
}
