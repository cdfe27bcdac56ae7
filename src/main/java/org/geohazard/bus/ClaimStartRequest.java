package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * A consumer about to analyse an image ({@code persistence.images.start}): attempt n, by {@code owner} (one
 * consumer verticle's id, unique per process), which holds the image for {@code leaseMs} unless it renews it.
 */
public record ClaimStartRequest(String imageId, int attempt, String owner, long leaseMs) {

  public static final int VERSION = 1;

  public ClaimStartRequest {
    if (imageId == null || owner == null || owner.isBlank() || leaseMs <= 0) {
      throw new IllegalArgumentException("a claim start needs an image id, an owner and a positive lease");
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("attempt", attempt)
        .put("owner", owner)
        .put("lease_ms", leaseMs);
  }

  public static ClaimStartRequest fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ClaimStartRequest");
    return new ClaimStartRequest(json.getString("image_id"), json.getInteger("attempt", 1), json.getString("owner"),
        json.getLong("lease_ms", 0L));
  }
}
