package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Moves an image to {@code failed} after n attempts, with the reason ({@code persistence.images.status}); a
 * completed image never goes back. (The move to {@code processing} is a claim's start: {@link ClaimStartRequest}.)
 *
 * @param status failed
 * @param reason why it failed
 */
public record StatusChange(String imageId, ImageStatus status, int attempts, String reason) {

  public static final int VERSION = 1;

  public StatusChange {
    if (status != ImageStatus.FAILED) {
      throw new IllegalArgumentException("a status change is to failed, not " + status);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("status", status.wireName())
        .put("attempts", attempts)
        .put("reason", reason);
  }

  public static StatusChange fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "StatusChange");
    return new StatusChange(
        json.getString("image_id"),
        ImageStatus.fromWire(json.getString("status")),
        json.getInteger("attempts", 0),
        json.getString("reason"));
  }
}
