package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * What a save did ({@code stored} false for a redelivered result) and the result document as it now reads, read
 * back in the save's transaction.
 */
public record PredictionSaved(boolean stored, ImageResult result) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("stored", stored)
        .put("result", result.toJson());
  }

  public static PredictionSaved fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "PredictionSaved");
    return new PredictionSaved(
        json.getBoolean("stored", false),
        ImageResult.fromJson(json.getJsonObject("result")));
  }
}
