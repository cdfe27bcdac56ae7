package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a claim about to be analysed. {@code analyse}: the image was pending or processing (now
 * processing), or is not registered at all (the save will say so); otherwise the claim is stale, a record
 * redelivered after the image was settled, and {@code status} says how: {@code completed} (then
 * {@code stored} is its result document, read on the primary) or {@code failed}.
 */
public record ClaimStart(boolean analyse, ImageStatus status, ImageResult stored) {

  public static final int VERSION = 1;

  public static final ClaimStart ANALYSE = new ClaimStart(true, ImageStatus.PROCESSING, null);

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("analyse", analyse)
        .put("status", status.wireName())
        .put("stored", stored == null ? null : stored.toJson());
  }

  public static ClaimStart fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ClaimStart");
    JsonObject stored = json.getJsonObject("stored");
    return new ClaimStart(json.getBoolean("analyse", true), ImageStatus.fromWire(json.getString("status")),
        stored == null ? null : ImageResult.fromJson(stored));
  }
}
