package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for a batch's progress ({@code persistence.batches.get}).
 */
public record BatchQuery(String batchId) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("batch_id", batchId);
  }

  public static BatchQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "BatchQuery");
    return new BatchQuery(
        json.getString("batch_id"));
  }
}
